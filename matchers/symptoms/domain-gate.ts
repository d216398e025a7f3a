import type { SymptomObservations } from './observe';

/**
 * Decides whether a text is about the domain at all: ConfigMgr content, IIS on a
 * distribution point, BITS and the other areas the KB covers. Outside it, any entry the
 * signatures or the words happen to reach is a confident-looking wrong answer (a Python
 * traceback with a `bin` folder is not IIS request filtering), so the reply says what the
 * bot knows instead.
 *
 * - A signature that holds with high confidence keeps the text in (its author declared it
 *   proves a cause on its own, and the baseline of other products' logs checks that).
 * - A term specific to the domain (a ConfigMgr log or component, `SMS_DP_SMSPKG$`,
 *   `ccmcache`, BITS job output) keeps the text in, whatever else it holds.
 * - Otherwise a marker of another product (a Python traceback, a Windows Installer log,
 *   an nginx access line, another endpoint-management product's name) takes it out.
 * - Otherwise a Windows technology the domain relies on (PXE, WDS, WSUS, a BITS job) keeps
 *   it in: with no other product named, whose PXE server or BITS job it is is most likely
 *   ConfigMgr's here, but "the LANDESK PXE representative" is not.
 * - Otherwise it is in when it is a bare code, holds a ConfigMgr, BITS or WinHTTP code, or
 *   an entry's signature holds at medium or better; when it names a symptom family by the
 *   family's own words (its answer is all low confidence), or by a code or status other
 *   products share (0x80070002, an HTTP 500) together with one ordinary word of the domain;
 *   or when it uses the domain's ordinary words (package, content, download, cache) with an
 *   error code or a question the full-text search can answer.
 */
export interface GateSignals {
  familySeen: boolean;
  signatureMatch: boolean;
  /** An entry's signature holds with high confidence. */
  provenMatch: boolean;
  anyCode: boolean;
  /** An error code of ConfigMgr, BITS, WinHTTP or Delivery Optimization. */
  domainCode: boolean;
  /** An error code of ConfigMgr's own facility (0x87D0xxxx-0x87D2xxxx): as specific as a ConfigMgr log name. */
  configMgrCode: boolean;
  /** The text is little more than an error code: someone asking what the code means. */
  bareCode: boolean;
  /** Full-text search found entries for the text's prose. */
  searchHit: boolean;
}

export function isOffTopic(obs: Pick<SymptomObservations, 'domain' | 'familyByWords'>, signals: GateSignals): boolean {
  const { strong, technology, weak, foreign, structured } = obs.domain;
  // A signature its author declared to prove a cause on its own is trusted, whatever the text.
  if (signals.provenMatch) return false;
  if (strong > 0 || structured > 0 || signals.configMgrCode) return false;
  if (foreign > 0) return true;
  if (technology > 0) return false;
  // A symptom the KB knows keeps the text in: its answer offers candidates at low confidence
  // only, which costs little when wrong, while telling a real ConfigMgr paste "not my
  // domain" costs the engineer the answer.
  if (signals.bareCode || signals.signatureMatch || signals.domainCode) return false;
  // A family named only by a code or status that other products share (0x80070002, an HTTP
  // 500) needs at least one ordinary word of the domain; named by its own words, it is enough.
  if (signals.familySeen && (obs.familyByWords || weak > 0)) return false;
  if (weak > 0 && (signals.anyCode || signals.searchHit)) return false;
  return true;
}
