// Real-kernel differential checks: scenario -> C program -> run here -> compare with the model.
export { scenarioToC, scenariosToC } from "./c-program.js";
export { lowerScenario, ScenarioLoweringError, type LowerOptions, type LoweredScenario } from "./lower.js";
export { kernelInfo, compileProgram, runScenarioOnKernel, runScenariosOnKernel, type KernelInfo, type KernelRunOptions } from "./run.js";
export { parseKernelOutput, KernelOutputError, type KernelRun, type KernelStepResult, type KernelThreadState, type KernelInitialState } from "./output.js";
export { compareWithKernel, formatMismatches, type Comparison, type Mismatch, type Simulate } from "./compare.js";
export { kernelCanShow, type Applicability } from "./applicability.js";
