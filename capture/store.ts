import type { CaptureSettings, CaptureStore } from './records';
import { AzureBlobCaptureStore } from './store-azure-blob';
import { FileCaptureStore } from './store-files';

/**
 * The store the settings name. The choice is made once, here, so that the server, the purge
 * script and `kb:review` all read and write the same place for the same settings.
 */
export function openCaptureStore(settings: CaptureSettings): CaptureStore {
  switch (settings.store) {
    case 'files':
      return new FileCaptureStore({ dataDir: settings.dataDir, retentionDays: settings.retentionDays });
    case 'azure-blob':
      if (!settings.azureConnectionString) {
        throw new Error(
          'CAPTURE_STORE is "azure-blob" but AZURE_STORAGE_CONNECTION_STRING is not set: set it to the storage account\'s connection string ' +
            '(Azure portal > storage account > Access keys)',
        );
      }
      return new AzureBlobCaptureStore({
        connectionString: settings.azureConnectionString,
        container: settings.container,
        retentionDays: settings.retentionDays,
      });
  }
}
