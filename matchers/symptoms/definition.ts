import type { HttpFact } from '../types';

/**
 * Symptom families, situations and the domain vocabulary as the core sees them, after
 * `kb/` has read and validated the files in `kb/families/`, `kb/situations.yaml` and
 * `kb/domain.yaml`. Entry ids are resolved to entry indexes by the loader.
 */

/** A fact about the deployment, or a fix already tried, that tells candidate causes apart. */
export interface SituationDef {
  id: string;
  /** The yes/no question a card asks when this situation would narrow the list. */
  ask?: string;
  /** Lower-case phrases that establish the situation (after a negation: its opposite). */
  phrases: string[];
  /** HTTP statuses that establish it (`404 7` in an IIS line or a sentence). */
  http: HttpFact[];
  /** Error codes that establish it. */
  codes: number[];
}

export interface FamilyMember {
  /** Index of the member entry in the KB. */
  entryIndex: number;
  /** Relative commonness: the prior of the differential. */
  weight: number;
  /** The one observation that confirms or rules out this cause. */
  confirm: string;
  /** Situations the cause needs: ruled out when one is known not to hold. */
  requires: string[];
  favoredBy: string[];
  disfavoredBy: string[];
}

export interface FamilyDef {
  id: string;
  title: string;
  summary: string;
  /**
   * Breaks ties between families shown by the same lines: a generic wrapper code
   * (0x80070002 that BITS reports for a 404) yields to the specific symptom (the 404).
   */
  priority: number;
  recognize: {
    codes: number[];
    http: HttpFact[];
    /** Lower-case phrases. */
    text: string[];
    /**
     * Lower-case phrases other products print as well: Windows' messages and names for the
     * family's codes ("Access is denied", ERROR_FILE_NOT_FOUND), HTTP reason phrases ("403
     * Forbidden"). Found like `text`, they name the family as a shared code does: the domain
     * gate keeps such a text only with a word of the domain, so a robocopy log's "Access is
     * denied" is not a content problem.
     */
    shared: string[];
    /**
     * Lower-case phrases that name the symptom only when a person writes them: in a sentence,
     * or alone ("WaitingContent"), not in a log line that passes through that state.
     */
    prose: string[];
    /**
     * Lower-case phrases that, anywhere in the paste, show the codes and phrases belong to
     * another step than getting content ("OSDSetupHook" for an access denied while Windows
     * setup installs its hook): the family is then not named.
     */
    unless: string[];
    /**
     * Log names (as `log:` in entries: `DistMgr`, `PkgXferMgr`, `PullDP`, ...) whose failures
     * are this symptom whatever their words: an error line of Distribution Manager is a
     * distribution failure. A record counts when its log is known (CMTrace component, the
     * legacy `$$<Component>` suffix, a pasted file name, or a status message's `COMP=`) and
     * it is an error or says that something failed.
     */
    failuresIn: string[];
    /**
     * Lower-case terms of the machinery this symptom is about (`instruction file`,
     * `sms_site`): a line or sentence that holds one and says something failed names the symptom.
     */
    failuresAbout: string[];
  };
  members: FamilyMember[];
  collect: string[];
}

/**
 * Words that place a text in the domain (ConfigMgr content, IIS on a distribution point,
 * BITS), and markers of other products. `strong` terms are specific to the domain;
 * `technology` terms name Windows technologies the domain relies on that other products use
 * too (PXE, WDS, WSUS, BITS jobs): they keep a text in as strong terms do, unless a marker of
 * another product says whose PXE or BITS job it is; `weak` ones are ordinary words that only
 * count when nothing foreign is present.
 */
export interface DomainVocabulary {
  strong: string[];
  technology: string[];
  weak: string[];
  foreign: string[];
}

export interface SymptomDefinitions {
  families: FamilyDef[];
  situations: SituationDef[];
  domain: DomainVocabulary;
}
