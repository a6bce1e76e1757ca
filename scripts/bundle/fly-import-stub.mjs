// Stand-in for `fly-import` inside the `puruto new` bundle. yeoman-environment uses it
// only to npm-install missing generators on the fly; `puruto new` registers its own
// generators, so that path is never taken. Leaving it out spares loading npm's
// arborist, pacote and sigstore at every start.
const refuse = () => {
  throw new Error('puruto new does not install generators on the fly; use `yo` for other generators');
};

export class FlyRepository {
  constructor(options) {
    this.options = options;
  }
  install() {
    refuse();
  }
}

export async function flyImport() {
  refuse();
}
