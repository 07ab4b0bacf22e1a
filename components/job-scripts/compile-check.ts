import { spawnSync } from "child_process";

/**
 * Checks that Python sources compile (syntax only, nothing imported or run) before anything is
 * uploaded: a job with a syntax error would otherwise fail only when Glue starts it at night.
 * Python does the parsing because only Python's own parser is authoritative for Python 3.11 syntax.
 */
const CHECKER = [
  "import json, sys",
  "errors = []",
  "for path in sys.argv[1:]:",
  "    try:",
  "        compile(open(path, encoding='utf-8').read(), path, 'exec', dont_inherit=True)",
  "    except SyntaxError as e:",
  "        errors.append(f'{path}:{e.lineno}: {e.msg}')",
  "print(json.dumps(errors))",
].join("\n");

/** The interpreter used for the check: `LAKEHOUSE_PYTHON`, else `python3`. */
export function pythonInterpreter(): string {
  return process.env.LAKEHOUSE_PYTHON ?? "python3";
}

/** Returns one `file:line: message` per file that does not compile; throws when Python is missing. */
export function compileErrors(files: readonly string[], python: string = pythonInterpreter()): string[] {
  const result = spawnSync(python, ["-c", CHECKER, ...files], { encoding: "utf8" });
  if (result.error !== undefined || result.status !== 0) {
    throw new Error(
      `JobScripts: checking that the job scripts compile needs Python 3.11 ("${python}" could not run: ` +
        `${result.error?.message ?? result.stderr.trim()}); install it or set LAKEHOUSE_PYTHON`,
    );
  }
  return JSON.parse(result.stdout) as string[];
}
