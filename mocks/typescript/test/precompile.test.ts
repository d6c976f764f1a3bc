import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { BUILD_DIR, buildKey, buildProgram, compiledEntry, compilerOptions, localRequires, programSources } from "../src/precompile";

// Scratch programs live under test/ so that `typescript` resolves from mocks/typescript/node_modules.
function scratch(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(__dirname, "tmp-program-"));
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

const TSCONFIG = JSON.stringify({ compilerOptions: { target: "ES2022", module: "commonjs", strict: true, outDir: "out" } });

describe("precompile", () => {
  const dirs: string[] = [];
  const mk = (files: Record<string, string>) => {
    const d = scratch(files);
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("lists the program's .ts sources, skipping declarations, node_modules and dot-directories", () => {
    const d = mk({
      "index.ts": "", "lib/a.ts": "", "lib/b.d.ts": "", "lib/c.js": "", "node_modules/x/y.ts": "", ".hidden/z.ts": "", "test/t.ts": "",
    });
    assert.deepEqual(programSources(d), ["index.ts", "lib/a.ts", "test/t.ts"]);
  });

  it("keys a build by the TypeScript version, tsconfig.json and every source", () => {
    const d = mk({ "index.ts": "export const a = 1;\n", "tsconfig.json": TSCONFIG });
    const k = buildKey(d, "5.9.3", ["index.ts"]);
    assert.match(k, /^[0-9a-f]{24}$/);
    assert.equal(buildKey(d, "5.9.3", ["index.ts"]), k);
    assert.notEqual(buildKey(d, "5.9.4", ["index.ts"]), k);
    fs.writeFileSync(path.join(d, "tsconfig.json"), "{}");
    assert.notEqual(buildKey(d, "5.9.3", ["index.ts"]), k);
    fs.rmSync(path.join(d, "tsconfig.json"));
    const none = buildKey(d, "5.9.3", ["index.ts"]);
    fs.writeFileSync(path.join(d, "index.ts"), "export const a = 2;\n");
    assert.notEqual(buildKey(d, "5.9.3", ["index.ts"]), none);
  });

  it("follows relative requires to the program's .ts files and refuses what would not run elsewhere", () => {
    const files = new Set(["index.ts", "lib/a.ts", "lib/sub/index.ts"]);
    const js = 'const a = require("./lib/a");\nconst s = require( "./lib/sub" );\nconst p = require("@pulumi/pulumi");\n';
    assert.deepEqual(localRequires(js, "index.ts", files), ["lib/a.ts", "lib/sub/index.ts"]);
    assert.deepEqual(localRequires('require("../index")', "lib/a.ts", files), ["index.ts"]);
    assert.throws(() => localRequires("const d = __dirname;", "index.ts", files), /index.ts uses __dirname/);
    assert.throws(() => localRequires("f(__filename)", "index.ts", files), /uses __filename/);
    assert.throws(() => localRequires("const m = require(name);", "index.ts", files), /require\(\) of a computed name/);
    assert.throws(() => localRequires('require("./data.json")', "index.ts", files), /requires .\/data.json, not a .ts file/);
    assert.throws(() => localRequires('require(".")', "lib/a.ts", files), /requires \., not a .ts file/);
  });

  it("uses the tsconfig's options as ts-node does (ES5 and CommonJS by default), and defers ts-node settings to ts-node", () => {
    const ts = require("typescript");
    const d = mk({ "index.ts": "", "tsconfig.json": TSCONFIG });
    const o = compilerOptions(ts, d);
    assert.equal(o.target, ts.ScriptTarget.ES2022);
    assert.equal(o.strict, true);
    assert.equal(o.outDir, undefined);
    assert.equal(o.noEmit, false);
    assert.equal(o.sourceMap, false);
    const bare = mk({ "index.ts": "" });
    assert.equal(compilerOptions(ts, bare).target, ts.ScriptTarget.ES5);
    assert.equal(compilerOptions(ts, bare).module, ts.ModuleKind.CommonJS);
    const tn = mk({ "index.ts": "", "tsconfig.json": JSON.stringify({ "ts-node": { transpileOnly: true } }) });
    assert.throws(() => compilerOptions(ts, tn), /tsconfig.json has ts-node options/);
  });

  it("builds the entry and what it requires once, and again when a source changes", () => {
    const d = mk({
      "index.ts": 'import { a } from "./lib/a";\nimport * as sub from "./lib/sub";\nexport const out: number = a + sub.b;\n',
      "lib/a.ts": 'import { b } from "./sub";\nexport const a: number = b * 10;\n',
      "lib/sub/index.ts": "export const b: number = 4;\n",
      "test/unused.ts": 'import "../../elsewhere";\n',
      "tsconfig.json": TSCONFIG,
    });
    const dir = buildProgram(d, "index.ts");
    assert.equal(path.dirname(dir), path.join(d, BUILD_DIR));
    assert.deepEqual(fs.readdirSync(path.join(d, BUILD_DIR)), [path.basename(dir)]);
    assert.ok(!fs.existsSync(path.join(dir, "test")));
    assert.equal(require(path.join(dir, "index.js")).out, 44);
    assert.match(fs.readFileSync(path.join(dir, "lib", "a.js"), "utf8"), /exports.a = sub_1.b \* 10;/);
    // unchanged sources: the same build, not written again
    fs.writeFileSync(path.join(dir, "marker"), "");
    assert.equal(buildProgram(d, "index.ts"), dir);
    assert.ok(fs.existsSync(path.join(dir, "marker")));
    fs.writeFileSync(path.join(d, "lib/sub/index.ts"), "export const b: number = 5;\n");
    const again = buildProgram(d, "index.ts");
    assert.notEqual(again, dir);
    assert.equal(require(path.join(again, "index.js")).out, 55);
    assert.throws(() => buildProgram(d, "missing.ts"), /missing.ts is not one of the program's .ts files/);
  });

  it("shares a build another deploy renamed into place first, and reports other rename failures", () => {
    const d = mk({ "index.ts": "export const x = 1;\n" });
    const realFs = require("fs"); // the module itself: `fs` here is a read-only namespace
    const rename = realFs.renameSync;
    try {
      // another deploy wins the race: its build appears just before ours is renamed
      realFs.renameSync = (from: string, to: string) => {
        rename(from, to);
        fs.cpSync(to, from, { recursive: true });
        rename(from, to);
      };
      const dir = buildProgram(d, "index.ts");
      assert.ok(fs.existsSync(path.join(dir, "index.js")));
      assert.deepEqual(fs.readdirSync(path.join(d, BUILD_DIR)), [path.basename(dir)]);
      fs.rmSync(path.join(d, BUILD_DIR), { recursive: true });
      realFs.renameSync = () => {
        throw new Error("EACCES: no rename");
      };
      assert.throws(() => buildProgram(d, "index.ts"), /EACCES: no rename/);
      assert.deepEqual(fs.readdirSync(path.join(d, BUILD_DIR)), []);
    } finally {
      realFs.renameSync = rename;
    }
  });

  it("gives the compiled entry, or null (with the reason) to run through ts-node", () => {
    const d = mk({ "index.ts": "export const x = 1;\n", "other.ts": "const here = __dirname;\n" });
    const js = compiledEntry(d, path.join(d, "index.ts"));
    assert.equal(js, path.join(buildProgram(d, "index.ts"), "index.js"));
    assert.equal(compiledEntry(d, path.join(d, "index.js")), null);
    const lines: string[] = [];
    assert.equal(compiledEntry(d, path.join(d, "other.ts"), (l) => lines.push(l)), null);
    assert.deepEqual(lines, ["running other.ts through ts-node: other.ts uses __dirname"]);
    assert.equal(compiledEntry(d, path.join(d, "other.ts")), null);
  });
});
