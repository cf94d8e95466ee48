import { describe, expect, it } from 'vitest';
import { socketDirUsable, viaSocket } from './embedded.ts';

describe("the embedded server's socket folder", () => {
  it('is used when the socket path fits in a socket address, and not when it is too long', () => {
    expect(socketDirUsable('/home/li/.local/share/tend/socket', 54321)).toBe(true);
    expect(socketDirUsable(`/${'d'.repeat(100)}/socket`, 54321)).toBe(false);
    // 104 bytes: too long for macOS (sun_path holds 104 with the final NUL).
    expect(socketDirUsable(`/${'d'.repeat(81)}/socket`, 54321)).toBe(false);
    expect(socketDirUsable(`/${'d'.repeat(80)}/socket`, 54321)).toBe(true);
  });

  it('is not used on Windows', () => {
    expect(socketDirUsable('C:\\tend\\socket', 5432, 'win32')).toBe(false);
  });

  it('is not used when its name would break the server setting (a comma-separated list)', () => {
    expect(socketDirUsable('/srv/tend,old/socket', 5432)).toBe(false);
    expect(socketDirUsable('/srv/"tend"/socket', 5432)).toBe(false);
  });

  it('names the folder as the host of the URL, escaped', () => {
    const url = viaSocket('postgres://postgres:pw@127.0.0.1:5432/tend', '/srv/my data/socket');
    expect(url).toBe('postgres://postgres:pw@127.0.0.1:5432/tend?host=%2Fsrv%2Fmy%20data%2Fsocket');
    expect(new URL(url).searchParams.get('host')).toBe('/srv/my data/socket');
  });
});
