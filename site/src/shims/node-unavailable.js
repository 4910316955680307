// Browser stand-in for Node modules the analyzer and simulator use only on Node paths
// (reading project files, running the real-kernel checks). Any call says so plainly.
const unavailable = (name) => () => {
  throw new Error(`${name} is not available in the browser playground`);
};
export const existsSync = () => false;
export const readFileSync = unavailable("readFileSync");
export const statSync = unavailable("statSync");
export const writeFileSync = unavailable("writeFileSync");
export const mkdtempSync = unavailable("mkdtempSync");
export const rmSync = unavailable("rmSync");
export const readdirSync = unavailable("readdirSync");
export const realpathSync = unavailable("realpathSync");
export const execFile = unavailable("execFile");
export const spawnSync = unavailable("spawnSync");
export const availableParallelism = () => 1;
export const tmpdir = () => "/tmp";
export const platform = () => "browser";
export const createHash = unavailable("createHash");
export const promises = {};
export default {};
