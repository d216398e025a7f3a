/**
 * Which log a record comes from. Signatures can be restricted to a log, so the
 * names here are the vocabulary of the `log:` key in KB entries.
 */

/** CMTrace component → log name. Components not listed keep their own name. */
const COMPONENT_LOGS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(cas|contentaccess)$/i, 'CAS'],
  [/^contenttransfermanager$/i, 'ContentTransferManager'],
  [/^datatransferservice$/i, 'DataTransferService'],
  [/^execmgr$/i, 'execmgr'],
  [/^locationservices$/i, 'LocationServices'],
  [/^policyagent$/i, 'PolicyAgent'],
  [/^(distmgr|sms_distribution_manager)$/i, 'DistMgr'],
  [/^(pkgxfermgr|sms_package_transfer_manager)$/i, 'PkgXferMgr'],
  [/^pulldp$/i, 'PullDP'],
  [/^smsdpprov$/i, 'SMSDPProv'],
  [/^(despool|sms_despooler)$/i, 'despool'],
  [/^(sender|lansend|sms_lan_sender)$/i, 'sender'],
  [/^(smspxe|sms_pxe)$/i, 'SMSPXE'],
  [/^(patchdownloader|sms_patchdownloader)$/i, 'PatchDownloader'],
  [/^wuahandler$/i, 'WUAHandler'],
  [/^updatesdeployment$/i, 'UpdatesDeployment'],
  [/^(tsmanager|installsoftware|applyoperatingsystem|osdsetuphook|tsmbootstrap|tspxe|installupdates|downloadcontent|osdapplyos|osddriverclient|smstsmanager|osdnetsettings|applyos|tsprogressui|osdupdatepackage|osdsmpclient|runcommandline|setupcompletecmd)$/i, 'SMSTS'],
];

/** The SMSTS.log components that CMTrace clipboard text puts at the end of a line. */
export const SMSTS_TRAILING_COMPONENTS: ReadonlySet<string> = new Set(
  [
    'TSManager', 'InstallSoftware', 'ApplyOperatingSystem', 'OSDSetupHook', 'TSMBootstrap', 'TSPxe',
    'InstallUpdates', 'DownloadContent', 'OSDDriverClient', 'OSDNetSettings', 'SMSTSManager',
    'TSProgressUI', 'OSDUpdatePackage', 'OSDSMPClient', 'RunCommandLine', 'SetupCompleteCmd',
  ].map((c) => c.toLowerCase()),
);

/** The log a known component writes, or undefined for a component this table does not list. */
function knownComponentLog(component: string): string | undefined {
  for (const [pattern, log] of COMPONENT_LOGS) {
    if (pattern.test(component)) return log;
  }
  return undefined;
}

export function logForComponent(component: string): string {
  return knownComponentLog(component) ?? component;
}

/** File name → log name, for pasted headings ("CAS.Log:") and attached files. */
export function logForFileName(name: string): string | undefined {
  const base = name.replace(/^.*[\\/]/, '').replace(/\.(log|lo_|txt)$/i, '').replace(/-\d{8}-\d{6}$/, '');
  const lower = base.toLowerCase();
  if (/^u_ex\d+|^ex\d{6}|^w3svc|^iis/.test(lower)) return 'IIS';
  if (lower === 'cas') return 'CAS';
  if (lower === 'smsts') return 'SMSTS';
  if (lower === 'windowsupdate') return 'WindowsUpdate';
  return knownComponentLog(base) ?? KNOWN_FILE_LOGS.get(lower);
}

/** Log files named after no component of COMPONENT_LOGS. */
const KNOWN_FILE_LOGS: ReadonlyMap<string, string> = new Map([
  ['appenforce', 'AppEnforce'],
  ['appdiscovery', 'AppDiscovery'],
  ['ccmexec', 'CcmExec'],
]);
