// Compiles the reference governor and token (bench/reference/*.sol, importing
// OpenZeppelin Contracts from bench/node_modules) with solc-js, optimizer on,
// 200 runs, EVM version cancun, and writes their ABIs and bytecode to
// bench/.build/reference.json (git-ignored: nothing of OpenZeppelin's code is
// committed). Usage: node bench/compile_reference.mjs
import { createRequire } from "node:module";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const solc = require("solc");

const SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: "cancun",
  outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
};

const sources = {};
for (const file of readdirSync(join(here, "reference")).sort()) {
  if (file.endsWith(".sol")) {
    sources[`reference/${file}`] = { content: readFileSync(join(here, "reference", file), "utf8") };
  }
}

function findImports(path) {
  const candidates = [join(here, "node_modules", path), join(here, path)];
  for (const candidate of candidates) {
    try {
      return { contents: readFileSync(candidate, "utf8") };
    } catch {
      // try the next one
    }
  }
  return { error: `not found: ${path}` };
}

const input = { language: "Solidity", sources, settings: SETTINGS };
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (output.errors || []).filter((e) => e.severity === "error");
for (const e of output.errors || []) {
  console.error(e.formattedMessage);
}
if (errors.length) {
  process.exit(1);
}

const ozVersion = JSON.parse(
  readFileSync(join(here, "node_modules", "@openzeppelin", "contracts", "package.json"), "utf8"),
).version;
const contracts = {};
for (const [file, byName] of Object.entries(output.contracts)) {
  if (!file.startsWith("reference/")) continue;
  for (const [name, c] of Object.entries(byName)) {
    contracts[name] = {
      abi: c.abi,
      bytecode: "0x" + c.evm.bytecode.object,
      runtime_size: c.evm.deployedBytecode.object.length / 2,
    };
  }
}
const build = {
  solc: solc.version(),
  openzeppelin: ozVersion,
  settings: { optimizer: SETTINGS.optimizer, evmVersion: SETTINGS.evmVersion },
  contracts,
};
mkdirSync(join(here, ".build"), { recursive: true });
writeFileSync(join(here, ".build", "reference.json"), JSON.stringify(build, null, 1) + "\n");
const sizes = Object.entries(contracts).map(([n, c]) => `${n} ${c.runtime_size} B`).join(", ");
console.log(`compiled with solc ${solc.version()}, OpenZeppelin ${ozVersion}: ${sizes}`);
