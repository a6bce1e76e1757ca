export async function doctorCommand(_a: readonly string[], _io: unknown): Promise<number> { return 1; }
