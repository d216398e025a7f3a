import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureSettings } from '../../capture/settings';
import { openCaptureStore } from '../../capture/store';

const AZURITE = 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;';

describe('readCaptureSettings', () => {
  it('keeps outcomes in files under ./data for 30 days when nothing is set', () => {
    expect(readCaptureSettings({})).toEqual({
      mode: 'outcomes',
      store: 'files',
      dataDir: resolve('data'),
      retentionDays: 30,
      container: 'support-kb-bot',
    });
  });

  it('reads every setting, trimming spaces and ignoring case in the choices', () => {
    const settings = readCaptureSettings({
      CAPTURE: ' Redacted ',
      CAPTURE_STORE: 'AZURE-BLOB',
      DATA_DIR: '/srv/app/data',
      CAPTURE_RETENTION_DAYS: '7',
      AZURE_STORAGE_CONNECTION_STRING: AZURITE,
      CAPTURE_CONTAINER: 'kb-capture-01',
    });
    expect(settings).toEqual({
      mode: 'redacted',
      store: 'azure-blob',
      dataDir: '/srv/app/data',
      retentionDays: 7,
      azureConnectionString: AZURITE,
      container: 'kb-capture-01',
    });
  });

  it('resolves a relative DATA_DIR against the working directory and treats empty values as unset', () => {
    expect(readCaptureSettings({ DATA_DIR: 'var/kb' }).dataDir).toBe(join(process.cwd(), 'var', 'kb'));
    expect(readCaptureSettings({ CAPTURE: '', CAPTURE_RETENTION_DAYS: '  ' })).toMatchObject({ mode: 'outcomes', retentionDays: 30 });
  });

  it.each([
    [{ CAPTURE: 'all' }, 'CAPTURE must be one of off, outcomes, redacted (got "all")'],
    [{ CAPTURE_STORE: 'blob' }, 'CAPTURE_STORE must be one of files, azure-blob (got "blob")'],
    [{ CAPTURE_RETENTION_DAYS: '0' }, 'CAPTURE_RETENTION_DAYS must be a whole number of days, 1 or more (got "0")'],
    [{ CAPTURE_RETENTION_DAYS: '-5' }, 'CAPTURE_RETENTION_DAYS must be a whole number of days, 1 or more (got "-5")'],
    [{ CAPTURE_RETENTION_DAYS: '7.5' }, 'CAPTURE_RETENTION_DAYS must be a whole number of days, 1 or more (got "7.5")'],
    [{ CAPTURE_RETENTION_DAYS: '30d' }, 'CAPTURE_RETENTION_DAYS must be a whole number of days, 1 or more (got "30d")'],
    [{ CAPTURE_CONTAINER: 'Support_KB' }, 'CAPTURE_CONTAINER must be an Azure container name: 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit (got "Support_KB")'],
    [{ CAPTURE_CONTAINER: 'kb--capture' }, '(got "kb--capture")'],
    [{ CAPTURE_CONTAINER: 'kb' }, '(got "kb")'],
  ])('refuses %j, saying what it accepts', (env, message) => {
    expect(() => readCaptureSettings(env)).toThrow(message);
  });

  it('says what each choice falls back to when unset', () => {
    expect(() => readCaptureSettings({ CAPTURE: 'on' })).toThrow('leave it unset for outcomes');
    expect(() => readCaptureSettings({ CAPTURE_RETENTION_DAYS: 'forever' })).toThrow('leave it unset for 30');
  });

  it('needs a connection string for the Azure Blob store, unless capture is off', () => {
    expect(() => readCaptureSettings({ CAPTURE_STORE: 'azure-blob' })).toThrow('AZURE_STORAGE_CONNECTION_STRING is not set, but CAPTURE_STORE is "azure-blob"');
    const off = readCaptureSettings({ CAPTURE: 'off', CAPTURE_STORE: 'azure-blob' });
    expect(off.mode).toBe('off');
    // Opening that store (data:purge does, even with capture off) then says what is missing.
    expect(() => openCaptureStore(off)).toThrow('AZURE_STORAGE_CONNECTION_STRING is not set');
  });

  it('refuses a connection string that is not one without repeating it (it holds a key)', () => {
    const secret = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq';
    let message = '';
    try {
      readCaptureSettings({ CAPTURE_STORE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: secret });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('AZURE_STORAGE_CONNECTION_STRING does not look like a storage connection string');
    expect(message).not.toContain(secret);
  });
});

describe('openCaptureStore', () => {
  it('opens the store the settings name, described without secrets', () => {
    expect(openCaptureStore(readCaptureSettings({ DATA_DIR: '/srv/app/data' })).describe).toBe('files:/srv/app/data');
    const blob = openCaptureStore(readCaptureSettings({ CAPTURE_STORE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: AZURITE }));
    expect(blob.describe).toBe('azure-blob:devstoreaccount1/support-kb-bot');
    expect(blob.describe).not.toContain('AccountKey');
  });
});
