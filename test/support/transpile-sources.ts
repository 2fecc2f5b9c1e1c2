/**
 * The sources as plain JavaScript, for the processes the tests start (`xinyong serve`, a command
 * typed beside a server): `node --import tsx src/cli.ts` spent seconds a process in tsx's loader,
 * where the same modules compiled load in about half the time. Each run compiles the sources as
 * they are (never a `dist/` that may be older), file by file and without type checking (the
 * typecheck does that), with the options of the build (tsconfig.build.json), beside a copy of the
 * JSON data files and package.json, as `npm run build` lays them out.
 *
 * Run by the global setup as a process of its own, so that it takes the core the setup leaves idle:
 * `node --import tsx test/support/transpile-sources.ts <out>` writes `<out>/dist/cli.js` and the rest.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';

export async function transpileSources(root: string, out: string): Promise<void> {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.build.json'), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (parsed === undefined) {
    throw new Error('tsconfig.build.json could not be read');
  }
  const compilerOptions: ts.CompilerOptions = {
    ...parsed.options,
    // One file at a time, TypeScript cannot look up which format NodeNext gives it: every file of
    // this package is an ES module ("type": "module").
    module: ts.ModuleKind.ES2022,
    // Read by nobody: a stack printed by a spawned process names the compiled file, which keeps the
    // sources' code and comments, only without their types.
    sourceMap: false,
  };
  const src = path.join(root, 'src');
  const dist = path.join(out, 'dist');
  await fs.copyFile(path.join(root, 'package.json'), path.join(out, 'package.json'));
  const entries = await fs.readdir(src, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    const from = path.join(entry.parentPath, entry.name);
    if (!entry.isFile() || entry.name.endsWith('.test.ts') || entry.name.endsWith('.d.ts')) {
      continue;
    }
    const to = path.join(dist, path.relative(src, from));
    await fs.mkdir(path.dirname(to), { recursive: true });
    if (entry.name.endsWith('.json')) {
      await fs.copyFile(from, to);
    } else if (entry.name.endsWith('.ts')) {
      const { outputText } = ts.transpileModule(await fs.readFile(from, 'utf8'), {
        compilerOptions,
        fileName: from,
      });
      await fs.writeFile(to.replace(/\.ts$/, '.js'), outputText);
    }
  }
}

const [, script, out] = process.argv;
if (script !== undefined && path.resolve(script) === import.meta.filename && out !== undefined) {
  await transpileSources(path.resolve(import.meta.dirname, '..', '..'), out);
}
