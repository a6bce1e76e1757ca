// The Python requirement sets of the test venvs (scripts/setup.sh builds one venv per set),
// computed from pins.json so no list is kept by hand:
//   latest  every "python" pin as written: pip installs the newest releases it allows
//   floor   every "python" pin at its lowest: ">=X" becomes "==X" (upper bounds dropped)
//   dev     the "pythonDev" tools at their exact versions, plus the latest set
// Usage: node scripts/python-sets.mjs <latest|floor|dev>   (one requirement a line)
import { readFileSync } from 'node:fs';

/** "name==X" for a pin "…>=X…"; a pin without a floor is an error (the floor set could not hold it). */
export function floorOf(name, spec) {
  const floor = /(?:^|,)\s*>=\s*([^,\s]+)/.exec(spec);
  if (!floor) throw new Error(`pins.json: the Python pin ${name}${spec} has no ">=" floor`);
  return `${name}==${floor[1]}`;
}

/** The requirement lines of one set. */
export function requirementSet(pins, set) {
  const python = Object.entries(pins.python);
  if (set === 'latest') return python.map(([name, spec]) => `${name}${spec}`);
  if (set === 'floor') return python.map(([name, spec]) => floorOf(name, spec));
  if (set === 'dev') {
    const dev = Object.entries(pins.pythonDev).map(([name, version]) => {
      if (!/^\d+(\.\d+)*$/.test(version)) throw new Error(`pins.json: pythonDev ${name} must be an exact version`);
      return `${name}==${version}`;
    });
    return [...dev, ...requirementSet(pins, 'latest')];
  }
  throw new Error(`unknown set ${JSON.stringify(set)}: latest, floor or dev`);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  try {
    const pins = JSON.parse(readFileSync(new URL('../pins.json', import.meta.url), 'utf8'));
    process.stdout.write(requirementSet(pins, process.argv[2]).join('\n') + '\n');
  } catch (e) {
    process.stderr.write(`python-sets: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
}
