"""puruto_runtime: the runtime a generated Puruto vendors (a copy per repo, standard library only).

Small modules, one job each: dotenv (the .env reader), safe_read (regular files only, size cap),
settings (the typed Settings base), json_schema (the checker of .puruto-schemas), and the invoker:
requests (InvocationRequest/Result, IpcError), chain (hops), targets, skills, process (the agent's
process tree), adapters (one module per agent CLI, imported only when used), invoke, cli.
Importing the package imports none of them.
"""
