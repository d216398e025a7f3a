import { describe, expect, test } from 'vitest';
import { diagnose } from '../helpers/kb';

/**
 * The domain gate's `strong` vocabulary (kb/domain.yaml): a ConfigMgr content log or
 * component named in a paste keeps it in the domain, even when the paste holds nothing else
 * the gate knows, or holds a marker of another product (the Windows Installer that
 * SrcUpdateMgr.log names). Each text below is quoted from a public Microsoft page (markup
 * removed); without the names added from Microsoft's log file reference it was refused.
 * Other products' texts that share words stay out.
 */

// LOG_FILES below: Log file reference,
// https://learn.microsoft.com/en-us/intune/configmgr/core/plan-design/hierarchy/log-files

describe('content logs and components from the log file reference keep a text in the domain', () => {
  test.each([
    // https://learn.microsoft.com/en-us/troubleshoot/mem/configmgr/content-management/understand-package-actions
    ['sender.log (site-to-site sending)', "The sender.log file continuously logs the position it's writing to."],
    // LOG_FILES, "Site server and site systems"
    ['despool.log (site-to-site receiving)', 'despool.log  Records incoming site-to-site communication transfers.'],
    // LOG_FILES, "Content management"
    ['smsdpusage.log', 'smsdpusage.log  Records details about the smsdpusage.exe that runs and gathers data'],
    // LOG_FILES, "Content management"
    ['PrestageContent.log', 'PrestageContent.log  Records the details about the use of the ExtractContent.exe tool'],
    // https://learn.microsoft.com/en-us/intune/configmgr/core/servers/deploy/configure/deploy-and-manage-content
    ['the Extract Content tool of a prestaged DP', 'extractcontent.exe /P:<PrestagedFileLocation>\\<PrestagedFileName> /S'],
    // https://learn.microsoft.com/en-us/intune/configmgr/core/servers/deploy/configure/install-cloud-based-distribution-points-in-microsoft-azure
    ['CloudDP-<ServiceName>.log', 'It stores this transaction data in the CloudDP-<ServiceName>.log file on the site server.'],
    // same page
    ['SMS_CLOUD_SERVICES_MANAGER', 'Show all messages from the SMS_CLOUD_SERVICES_MANAGER component, and look for status message ID 9409.'],
    // https://learn.microsoft.com/en-us/intune/configmgr/core/clients/manage/cmg/monitor-clients-cloud-management-gateway (Note 1)
    ['CMGSetup.log synced from Azure', 'The actual file names include the service name and role instance identifier. For example, CMG-ServiceName-RoleInstanceID-CMGSetup.log.'],
    // https://learn.microsoft.com/en-us/intune/configmgr/core/clients/manage/azure-ccmsetup (CMGService.log)
    ['CCM_PROXY_SERVERAUTH in CMGService.log', 'RequestUri: /CCM_PROXY_SERVERAUTH/72057594037937981/CCM_STS  RequestCount: 769  RequestSize: 1081595 Bytes  ResponseCount: 769     ResponseSize: 36143 Bytes  AverageElapsedTime: 3945 ms'],
    // same page (ccmsetup.log)
    ['CCM_PROXY_MutualAuth', "Getting CCM Token from STS server 'cmg.cloudapp.net/CCM_PROXY_MutualAuth/72186325152220500'\nGetting CCM Token from https://cmg.cloudapp.net/CCM_PROXY_MutualAuth/72186325152220500/CCM_STS"],
    // LOG_FILES, "OS deployment"
    ['OfflineServicingMgr.log', 'OfflineServicingMgr.log  Records details of offline servicing schedules and update apply actions on operating system Windows Imaging Format (WIM) files.'],
    // LOG_FILES, "OS deployment"
    ['mcsmgr.log (multicast)', 'mcsmgr.log  Records changes to configuration, security mode, and availability.'],
    // LOG_FILES, "Software updates"
    ['ScanAgent.log', 'ScanAgent.log  Records details about scan requests'],
  ])('%s', (_name, text) => {
    expect(diagnose(text).offTopic).toBe(false);
  });

  test('a content log name outweighs a marker of another product in the same text', () => {
    // LOG_FILES, "Client operations": "Windows Installer" is a foreign marker on its own.
    const text = 'SrcUpdateMgr.log  Records activity for installed Windows Installer applications that are updated with current';
    expect(diagnose(text).offTopic).toBe(false);
  });
});

describe('Systems Management Server, the product before Configuration Manager, is in the domain', () => {
  test.each([
    // https://jeffpar.github.io/kbarchive/kb/218/Q218474/
    ['SMS 2.0 by its full name', 'When configuring a package to connect using a UNC path in Systems Management Server version 2.0, the package may fail if the package source directory contains spaces.'],
    // https://jeffpar.github.io/kbarchive/kb/172/Q172899/ (the despooler component as SMS logs it)
    ['the SMS_DESPOOLER component', "Instruction D:\\SMS\\site.srv\\despoolr.box\\receive\\sni00001.sni won't be processed till 05/13/01 18:04:37 SMS_DESPOOLER 07/27/97"],
  ])('%s', (_name, text) => {
    expect(diagnose(text).offTopic).toBe(false);
  });
});

describe('a shared Windows technology keeps a text in unless another product is named', () => {
  test('a PXE boot failure that names no product is read as ConfigMgr PXE', () => {
    // https://www.niallbrady.com/2013/03/20/pxe-boot-failure-after-upgrading-to-system-center-2012-configuration-manager-service-pack-1/
    const d = diagnose('PXE boot fails and you receive an error like PXE-E53: No boot filename received');
    expect(d.offTopic).toBe(false);
    expect(d.symptom?.id).toBe('pxe-boot');
  });

  test("the same PXE words on another product's PXE server are off-topic", () => {
    // https://provisioning162.rssing.com/chan-8401203/article537.html (LANDESK PXE representative)
    const text = 'PXE Boot fails with a "TFTP TIMEOUT" error.\nThe most likely cause is that the LANDESK PXE MTFTP service is not running or needs to be restarted on the PXE Representative';
    const d = diagnose(text);
    expect(d.offTopic).toBe(true);
    expect(d.matches).toEqual([]);
    expect(d.symptom).toBeNull();
  });

  test('a ConfigMgr name still outweighs another product named in the same text', () => {
    // A composed paste: ManageEngine's PXE article (https://www.manageengine.com/products/os-deployer/knowledge-base/pxe-errors.html)
    // quoted next to an SMSPXE.log warning (https://blog.danovich.com.au/tag/pxe/), as an engineer comparing
    // two PXE servers on one network might paste them.
    const text = 'Check if the ManageEngine OS Deployer PXE Server is running\nSMSPXE.log: Warning: Matching Processor Architecture Boot Image (0) not found';
    expect(diagnose(text.split('\n')[0]!).offTopic).toBe(true);
    expect(diagnose(text).offTopic).toBe(false);
  });
});

describe("other products' texts that share words stay out", () => {
  test('a .NET stack trace of another product (SQL Server Reporting Services rs.exe)', () => {
    // https://learn.microsoft.com/en-us/sql/reporting-services/tools/sample-reporting-services-rs-exe-script-to-copy-content-between-report-servers
    const text = 'System.Exception: Could not connect to server: https://<servername>/ReportServer/ReportService2010.asmx ---> System.Net.WebException: The request failed with HTTP status 401: Unauthorized.   at System.Web.Services.Protocols.SoapHttpClientProtocol.ReadResponse(SoapClientMessage message, WebResponse response, Stream responseStream, Boolean asyncCall)   at System.Web.Services.Protocols.SoapHttpClientProtocol.Invoke(String methodName, Object[] parameters)   at Microsoft.SqlServer.ReportingServices2010.ReportingService2010.IsSSLRequired()';
    expect(diagnose(text).offTopic).toBe(true);
  });

  test('an nginx error line for a missing file', () => {
    // https://github.com/nginx/nginx-gateway-fabric/issues/3987
    const text = '[error] 37#37: *9 open() "/etc/nginx/html/api" failed (2: No such file or directory), client: unix:, server: , request: "GET /api HTTP/1.1", host: "nginx-plus-api"';
    expect(diagnose(text).offTopic).toBe(true);
  });

  test('a Windows Update error with no ConfigMgr term', () => {
    // https://pastebin.com/SkibXCW0
    const text = "There were some problems installing updates, but we'll try again later. If you keep seeing this and want to search the web or contact support for information, this may help: (0x80080005)";
    expect(diagnose(text).offTopic).toBe(true);
  });
});
