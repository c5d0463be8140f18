import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { refuseStaleBundle } from "./freshness";

describe("refuseStaleBundle", () => {
  const repo = () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "aws-dr-"));
    for (const dir of ["dist/stacks", "stacks"])
      fs.mkdirSync(path.join(root, dir), { recursive: true });
    const bundle = path.join(root, "dist/stacks/index.js");
    const source = path.join(root, "stacks/site.ts");
    fs.writeFileSync(bundle, "");
    fs.writeFileSync(source, "");
    return { bundle, source };
  };
  const age = (file: string, seconds: number) => {
    const time = new Date(Date.now() - seconds * 1000);
    fs.utimesSync(file, time, time);
  };

  it("runs a bundle built after its sources", () => {
    const { bundle, source } = repo();
    age(source, 60);
    expect(() => refuseStaleBundle(bundle)).not.toThrow();
  });

  it("refuses a bundle older than a source, naming the file and the fix", () => {
    const { bundle } = repo();
    age(bundle, 60);
    expect(() => refuseStaleBundle(bundle)).toThrow(
      /dist\/ is older than stacks\/site\.ts: run `npm run build`/,
    );
  });

  it("leaves the sources alone when they run themselves (tests, ts-node)", () => {
    expect(() => refuseStaleBundle("/somewhere/stacks/index.ts")).not.toThrow();
  });
});
