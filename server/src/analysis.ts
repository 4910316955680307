// Runs the analyzer for open documents. Files on disk belong to a Project (rooted at the
// nearest project marker), so wrappers and thread spawns in other files count; the
// editor's unsaved text replaces the disk text. Documents the analyzer cannot place in a
// project (untitled buffers, a language whose extension the analyzer does not read) are
// analysed on their own under a name with the right extension.

import { existsSync } from "node:fs";
import {
  ConfigError,
  Project,
  analyzeText,
  buildIr,
  findProjectRoot,
  loadConfigFor,
  mergeSettings,
  resolveSettings,
  type FileReport,
  type IrFile,
  type Settings,
} from "@landlock-lint/analyzer";
import { extensionMatches } from "./languages.js";
import type { OpenDocument } from "./documents.js";

export interface DocumentAnalysis {
  uri: string;
  version: number;
  report: FileReport;
  /** The analyzed file name (findings' `file`) for this document: its path, or a stand-in name. */
  file: string;
}

/** Projects kept without an open document or an indexed folder (their caches make reopening fast). */
export const IDLE_PROJECTS = 4;

export class AnalysisHost {
  /** Insertion order is use order: the least recently used project comes first. */
  private readonly projects = new Map<string, Project>();
  private overrides: Partial<Settings>;

  /** `openDocuments` gives the editor texts a new project must see (unsaved buffers win over the disk). */
  constructor(
    private readonly openDocuments: () => OpenDocument[],
    overrides: Partial<Settings> = {},
  ) {
    this.overrides = overrides;
  }

  /** New client settings: every project is rebuilt so its caches cannot serve the old ones. */
  setOverrides(overrides: Partial<Settings>): void {
    this.overrides = overrides;
    this.projects.clear();
  }

  projectFor(path: string): Project {
    const root = findProjectRoot(path);
    let project = this.projects.get(root);
    if (project) {
      this.projects.delete(root);
      this.projects.set(root, project);
    } else {
      // Incremental: each keystroke reparses from the last tree and re-walks only the edited functions.
      project = new Project(root, { settings: this.overrides, incremental: true });
      this.projects.set(root, project);
      for (const doc of this.openDocuments()) {
        if (this.inProject(doc) && findProjectRoot(doc.path) === root) project.setFileText(doc.path, doc.document.getText());
      }
    }
    return project;
  }

  /** Projects alive now (the workspace index and open documents keep them). */
  allProjects(): Project[] {
    return [...this.projects.values()];
  }

  /**
   * Bounds memory as documents open and close: keeps the projects of `needed` roots (open
   * documents, indexed folders) and the few most recently used others; drops the rest.
   */
  trimProjects(needed: Set<string>): void {
    const idle = [...this.projects.keys()].filter((root) => !needed.has(root));
    for (const root of idle.slice(0, Math.max(0, idle.length - IDLE_PROJECTS))) this.projects.delete(root);
  }

  get projectCount(): number {
    return this.projects.size;
  }

  /** Whether the document is analysed inside its project. */
  inProject(doc: OpenDocument): doc is OpenDocument & { path: string } {
    return doc.path !== undefined && extensionMatches(doc.language, doc.path);
  }

  /** The name the analyzer knows the document by. */
  fileOf(doc: OpenDocument): string {
    if (this.inProject(doc)) return doc.path;
    const base = doc.path ?? `/untitled/${doc.uri.replace(/[^A-Za-z0-9_.-]+/g, "_")}`;
    return `${base}${doc.language.extension}`;
  }

  analyze(doc: OpenDocument): DocumentAnalysis {
    const text = doc.document.getText();
    const version = doc.document.version;
    const file = this.fileOf(doc);
    if (this.inProject(doc)) {
      const project = this.projectFor(doc.path);
      project.setFileText(doc.path, text);
      return { uri: doc.uri, version, file, report: project.analyzeFile(doc.path) };
    }
    const report = analyzeText(text, file, this.settingsOf(doc));
    return { uri: doc.uri, version, file, report };
  }

  /** The document's settings: its config file (when it has a path) under the client's overrides. */
  settingsOf(doc: OpenDocument): Settings {
    try {
      if (doc.path) return mergeSettings(loadConfigFor(doc.path).settings, this.overrides);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
    }
    return mergeSettings(resolveSettings({}), this.overrides);
  }

  /** The document's sandbox IR (for the restrict_self calls it contains), or undefined when it has none. */
  irOf(doc: OpenDocument): IrFile | undefined {
    // Code lenses ask again after every edit: reparse and re-walk only what the edit touched.
    const built = buildIr(doc.document.getText(), this.fileOf(doc), this.settingsOf(doc), { incremental: true });
    return built.ok ? built.ir : undefined;
  }

  /** The editor closed the document: the project reads the disk again, or forgets a file that is not there. */
  closed(doc: OpenDocument): void {
    if (!this.inProject(doc)) return;
    const project = this.projects.get(findProjectRoot(doc.path));
    if (!project) return;
    if (existsSync(doc.path)) project.closeFile(doc.path);
    else project.removeFile(doc.path);
  }

  /** Open files (paths) whose findings may change when `path` changed. */
  dependentsOf(path: string): string[] {
    const project = this.projects.get(findProjectRoot(path));
    if (!project) return [];
    try {
      return project.dependents(path);
    } catch {
      return [];
    }
  }

  /**
   * A file was created or deleted outside the editor: its project starts afresh (listing,
   * caches). A changed file needs nothing: projects compare modification times.
   */
  diskChanged(path: string, kind: "created" | "changed" | "deleted"): void {
    if (kind === "changed") return;
    this.projects.delete(findProjectRoot(path));
  }
}
