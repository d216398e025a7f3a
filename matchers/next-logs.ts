import type { Diagnosis } from './types';

/**
 * Which logs to collect next when nothing matched, from what the paste already holds:
 * client logs point at the server's IIS log and the other way round.
 */
export function suggestNextLogs(d: Pick<Diagnosis, 'facts' | 'codes'>): string[] {
  const logs = new Set(d.facts.logs.map((l) => l.toLowerCase()));
  const out: string[] = [];
  const clientLogs = ['cas', 'contenttransfermanager', 'datatransferservice', 'execmgr', 'smsts', 'locationservices'];
  const hasClient = clientLogs.some((l) => logs.has(l));
  if (!logs.has('iis')) {
    out.push('The IIS log of the distribution point (%SystemDrive%\\inetpub\\logs\\LogFiles\\W3SVC1) for the time of the failure: its status and substatus (404 7, 404 8, 401 2 …) name most server-side causes.');
  }
  if (!hasClient) {
    out.push('From the client: CAS.log, ContentTransferManager.log, DataTransferService.log, LocationServices.log and execmgr.log (or SMSTS.log for a task sequence), from %windir%\\CCM\\Logs.');
  }
  if (d.codes.some((c) => c.code.startsWith('0x8019') || c.code.startsWith('0x8020'))) {
    out.push('`bitsadmin /list /allusers /verbose` on the client while the download is stuck: ERROR FILE names the file BITS cannot get.');
  }
  if (!logs.has('eventlog')) {
    out.push('The BITS client events (Event Viewer > Applications and Services Logs > Microsoft > Windows > Bits-Client > Operational).');
  }
  return out;
}
