/**
 * precompile.ts — transpile a TypeScript Pulumi program to JavaScript once and let every later deploy
 * load the JavaScript, instead of registering ts-node per deploy: ts-node transpiles every file again
 * and installs source-map-support, which maps every frame of the Error stacks Pulumi captures for each
 * resource (together about 40 % of a deploy's CPU).
 *
 * The build is what ts-node's transpile-only mode runs: the program's own TypeScript, the program's
 * tsconfig.json compilerOptions, one file at a time (ts.transpileModule). It lands in
 * <program>/.awssim-build/<key>/ mirroring the program's tree (so `require` still finds the program's
 * node_modules); the key hashes the TypeScript version, tsconfig.json and every .ts file's path and text,
 * so a build is fresh exactly when nothing changed, and concurrent deploys of the same sources share it
 * (each writes a private directory and renames it into place).
 *
 * Only the entry and the files it requires (transitively, by relative path) are built. A program that
 * could behave differently from another directory is left to ts-node: one that uses __dirname,
 * __filename or import.meta, requires a computed name, or a relative path that is not one of its .ts files.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

export const BUILD_DIR = ".awssim-build";

/** The program's .ts sources (not .d.ts), relative, sorted; node_modules and dot-directories skipped. */
export function programSources(programDir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(programDir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (e.name !== "node_modules" && !e.name.startsWith(".")) walk(r);
      } else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) {
        out.push(r);
      }
    }
  };
  walk("");
  return out.sort();
}

function typescriptOf(programDir: string): { path: string; version: string } {
  const pkg = require.resolve("typescript/package.json", { paths: [programDir] });
  return { path: path.dirname(pkg), version: JSON.parse(fs.readFileSync(pkg, "utf8")).version };
}

function tsconfigText(programDir: string): string {
  const file = path.join(programDir, "tsconfig.json");
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
}

/** The build's name: a hash of the TypeScript version, tsconfig.json and every source's path and text. */
export function buildKey(programDir: string, version: string, files: string[]): string {
  const h = createHash("sha256");
  h.update(`typescript ${version}\0tsconfig.json\0${tsconfigText(programDir)}\0`);
  for (const f of files) h.update(`${f}\0${fs.readFileSync(path.join(programDir, f), "utf8")}\0`);
  return h.digest("hex").slice(0, 24);
}

/**
 * The program's files `js` (transpiled from `file`) requires by relative path, as .ts sources of the
 * program; throws when the file could behave differently outside the program's directory.
 */
export function localRequires(js: string, file: string, files: Set<string>): string[] {
  const m = /\b(__dirname|__filename|import\.meta)\b|\brequire\s*\(\s*[^"'\s]/.exec(js);
  if (m) throw new Error(`${file} uses ${m[1] || "require() of a computed name"}`);
  const out: string[] = [];
  for (const r of js.matchAll(/\brequire\(\s*["'](\.{1,2}(?:\/[^"']*)?)["']\s*\)/g)) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), r[1]));
    const ts = [`${target}.ts`, `${target}/index.ts`].find((f) => files.has(f));
    if (!ts) throw new Error(`${file} requires ${r[1]}, not a .ts file of the program`);
    out.push(ts);
  }
  return out;
}

/**
 * ts-node's transpile-only compiler options (its fixConfig): the tsconfig's, ES5 and CommonJS when it
 * names none, no declarations; plain files without source maps (nothing maps stacks here).
 */
export function compilerOptions(ts: any, programDir: string): any {
  const file = path.join(programDir, "tsconfig.json");
  const json = fs.existsSync(file) ? ts.readConfigFile(file, ts.sys.readFile).config : {};
  if (json["ts-node"]) throw new Error("tsconfig.json has ts-node options");
  const o = { ...ts.parseJsonConfigFileContent(json, ts.sys, programDir, undefined, file).options };
  for (const k of ["out", "outFile", "outDir", "rootDir", "declarationDir", "tsBuildInfoFile"]) delete o[k];
  return {
    target: ts.ScriptTarget.ES5, module: ts.ModuleKind.CommonJS, ...o, noEmit: false, declaration: false,
    declarationMap: false, emitDeclarationOnly: false, composite: false, incremental: false, sourceMap: false,
    inlineSourceMap: false, inlineSources: false,
  };
}

/**
 * Transpile `entry` (relative to the program) and every .ts file it requires, transitively, into
 * <program>/.awssim-build/<key> unless that is there already; returns that directory. Throws when the
 * program cannot run from there (see localRequires()).
 */
export function buildProgram(programDir: string, entry: string): string {
  const tsInfo = typescriptOf(programDir);
  const files = programSources(programDir);
  const set = new Set(files);
  if (!set.has(entry)) throw new Error(`${entry} is not one of the program's .ts files`);
  const root = path.join(programDir, BUILD_DIR);
  const dest = path.join(root, buildKey(programDir, tsInfo.version, [entry, ...files]));
  if (fs.existsSync(dest)) return dest;
  const ts = require(tsInfo.path);
  const options = compilerOptions(ts, programDir);
  const outputs = new Map<string, string>();
  const todo = [entry];
  for (let f = todo.pop(); f !== undefined; f = todo.pop()) {
    if (outputs.has(f)) continue;
    const text = fs.readFileSync(path.join(programDir, f), "utf8");
    const js = ts.transpileModule(text, { compilerOptions: options, fileName: path.join(programDir, f) }).outputText as string;
    outputs.set(f, js);
    todo.push(...localRequires(js, f, set));
  }
  fs.mkdirSync(root, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(root, "tmp-"));
  for (const [f, js] of outputs) {
    const out = path.join(tmp, f.replace(/\.ts$/, ".js"));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, js);
  }
  try {
    fs.renameSync(tmp, dest);
  } catch (e) {
    // another deploy renamed the same build into place first
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(dest)) throw e;
  }
  return dest;
}

/**
 * The compiled JavaScript to run instead of `main` (the program's entry, a .ts file), building it when
 * needed; null when `main` is not TypeScript or the program cannot be precompiled (the reason goes to
 * `log`): the caller runs it through ts-node then.
 */
export function compiledEntry(programDir: string, main: string, log: (line: string) => void = () => {}): string | null {
  const rel = path.relative(programDir, main);
  if (!main.endsWith(".ts")) return null;
  try {
    return path.join(buildProgram(programDir, rel), rel.replace(/\.ts$/, ".js"));
  } catch (e: any) {
    log(`running ${rel} through ts-node: ${e.message}`);
    return null;
  }
}
