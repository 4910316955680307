// The CLI's Engine over the analyzer's public API: front-ends from the registry, one
// Project per project root (cross-file analysis), explanations through explainFinding.

import { applyFixes, explainFinding, findProjectRoot, Project, sourceExtensions } from "../index.js";
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
        ...(options.goBuildTags !== undefined ? { goBuildTags: options.goBuildTags } : {}),
      });
      projects.set(root, project);
    }
    return project;
  };
  return {
    extensions: sourceExtensions(),
    settingsFor: (file) => projectOf(findProjectRoot(file)).settingsFor(file),
    analyze: (file, text) => projectOf(findProjectRoot(file)).analyzeFile(file, text),
    explain(finding, budgetMs) {
      const explanation = explainFinding(finding, { budgetMs, format: "text", width: EXPLANATION_WIDTH });
      if (explanation.error) return `(no simulation: ${explanation.error})`;
      // The text repeats the finding's rule and message first; every CLI format already shows them.
      const header = `${finding.ruleId}: ${finding.message}\n\n`;
      const text = explanation.text.startsWith(header) ? explanation.text.slice(header.length) : explanation.text;
      return explanation.withinBudget ? text : `${text}\n(the simulation took longer than its ${budgetMs} ms budget)`;
    },
    applyFixes,
    projectRoot: findProjectRoot,
    projectFiles: (root) => projectOf(root).sourceFiles(),
  };
}
