// What the server knows about each open document at its current version: the analysis
// report, the restrict_self calls, explanations already computed. Everything is keyed
// by version, so a request never answers from an older text.

import { explainFinding, type Explanation, type Finding } from "@landlock-lint/analyzer";
import type { AnalysisHost, DocumentAnalysis } from "./analysis.js";
import type { OpenDocument } from "./documents.js";
import { restrictSites, type RestrictSite } from "./sites.js";

interface Entry {
  version: number;
  analysis?: DocumentAnalysis;
  sites?: RestrictSite[];
  explanations: Map<string, Explanation>;
}

export class DocumentStates {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly host: AnalysisHost) {}

  private entry(doc: OpenDocument): Entry {
    const version = doc.document.version;
    let e = this.entries.get(doc.uri);
    if (!e || e.version !== version) {
      e = { version, explanations: new Map() };
      this.entries.set(doc.uri, e);
    }
    return e;
  }

  /** The analysis of the document's current version, analysing now when there is none yet. */
  analysis(doc: OpenDocument): DocumentAnalysis {
    const e = this.entry(doc);
    e.analysis ??= this.host.analyze(doc);
    return e.analysis;
  }

  /** The analysis of the current version only if it is already done. */
  current(doc: OpenDocument): DocumentAnalysis | undefined {
    const e = this.entries.get(doc.uri);
    return e && e.version === doc.document.version ? e.analysis : undefined;
  }

  /** Records a fresh analysis (the diagnostics pass computed it). */
  store(doc: OpenDocument, analysis: DocumentAnalysis): void {
    const e = this.entry(doc);
    if (analysis.version === e.version) e.analysis = analysis;
  }

  /** Forgets the analysis (settings or another file changed) but keeps nothing stale. */
  invalidate(uri: string): void {
    this.entries.delete(uri);
  }

  invalidateAll(): void {
    this.entries.clear();
  }

  sites(doc: OpenDocument): RestrictSite[] {
    const e = this.entry(doc);
    if (!e.sites) {
      const ir = this.host.irOf(doc);
      e.sites = ir ? restrictSites(ir) : [];
    }
    return e.sites;
  }

  explain(doc: OpenDocument, finding: Finding): Explanation {
    const e = this.entry(doc);
    const key = finding.fingerprint || `${finding.ruleId}:${finding.range.start.offset}`;
    let x = e.explanations.get(key);
    if (!x) {
      x = explainFinding(finding, { format: "markdown", width: 78 });
      e.explanations.set(key, x);
    }
    return x;
  }

  drop(uri: string): void {
    this.entries.delete(uri);
  }

  get size(): number {
    return this.entries.size;
  }
}
