// The CLI's Engine over the analyzer's public API: front-ends from the registry, one
// Project per project root (cross-file analysis), explanations from the simulator.

import { renderText, runScenario } from "@landlock-lint/simulator";
import { applyFixes, findProjectRoot, mergeSettings, loadConfigFor, Project, sourceExtensions } from "../index.js";
import type { Engine, EngineOptions } from "./engine.js";

const EXPLANATION_WIDTH = 100;

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const projects = new Map<string, Project>();
  const projectOf = (root: string): Project => {
    let project = projects.get(root);
    if (!project) {
      project = new Project(root, {
        settings: options.flags,
        maxFileBytes: options.maxFileBytes,
        ...(options.configFile !== undefined ? { configFile: options.configFile } : {}),
      });
      projects.set(root, project);
    }
    return project;
  };
  return {
    extensions: sourceExtensions(),
    settingsFor(file) {
      const loaded = loadConfigFor(file, options.configFile !== undefined ? { configFile: options.configFile } : {});
      return mergeSettings(loaded.settings, options.flags);
    },
    analyze: (file, text) => projectOf(findProjectRoot(file)).analyzeFile(file, text),
    explain(finding) {
      // The analyzer does not export an explanation API yet; the simulator renders the finding's scenario directly.
      if (!finding.scenario) return "(this finding has no simulation)";
      return renderText(runScenario(finding.scenario), { width: EXPLANATION_WIDTH });
    },
    applyFixes,
    projectRoot: findProjectRoot,
    projectFiles: (root) => projectOf(root).sourceFiles(),
  };
}
