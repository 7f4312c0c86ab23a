// An invalid byte is named with its real offset and value: in the encoding the file is most likely in
// (the one that reads furthest), across chunk boundaries, and counting the BOM.
import { describe, it, expect } from 'vitest';
import { chooseEncoding, StrictDecoder } from '../../../core/import/read/encoding.js';
import { FileRejected } from '../../../core/import/read/limits.js';
import { recogniseMessage } from '../../../shared/contract/messages.js';

function refusal(f: () => unknown): { message: string; params: Record<string, string | number> } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(FileRejected);
    const message = (e as Error).message;
    return { message, params: recogniseMessage(message)?.params ?? {} };
  }
  throw new Error('not refused');
}

// UTF-8 Chinese text: "张三," is E5 BC A0 E4 B8 89 2C; in GB18030 the pair "89 2C" is invalid (a trail byte
// must be 0x30 or above), so GB18030 fails at offset 6, long before the real bad byte.
const utf8 = Buffer.from('合同号,客户姓名\r\nHT001,张三,100.00\r\nHT002,李四,200.00\r\n', 'utf8');
const bad = Buffer.concat([utf8, Buffer.from([0xff]), Buffer.from('王五,300.00\r\n', 'utf8')]);

describe('invalid bytes', () => {
  it('a UTF-8 file with a bad byte is refused naming that byte and its offset, as UTF-8', () => {
    const r = refusal(() => chooseEncoding(bad, true));
    expect(r.params).toMatchObject({ encoding: 'UTF-8', byte: 'ff', offset: String(utf8.length) });
    expect(bad[Number(r.params.offset)]).toBe(0xff);
  });

  it('a GB18030 file with a bad byte is refused naming it, as GB18030', () => {
    const gb = Buffer.from([0xd5, 0xc5, 0xc8, 0xfd, 0x2c, 0x31, 0x0a, 0xb0, 0xa1, 0xff, 0x41, 0x0a]); // 张三,1 啊 then 0xFF (never valid)
    const r = refusal(() => chooseEncoding(gb, true));
    expect(r.params).toMatchObject({ encoding: 'GB18030', byte: 'ff', offset: '9' });
  });

  it('the streaming decoder counts the BOM and characters split across chunks', () => {
    const body = Buffer.concat([Buffer.from('姓名,张三\n'.repeat(3), 'utf8'), Buffer.from([0xe5, 0xbc, 0x41])]); // E5 BC then 'A': bad at the 'A'
    const at = body.length - 1;
    const d = new StrictDecoder('utf-8', 3);
    // Split inside the last (broken) character: the first chunk ends after E5.
    d.write(body.subarray(0, at - 1));
    const r = refusal(() => d.write(body.subarray(at - 1)));
    expect(r.params).toMatchObject({ encoding: 'UTF-8', byte: '41', offset: String(3 + at) });
  });

  it('a file that ends inside a character names where that character starts', () => {
    const d = new StrictDecoder('utf-8');
    const body = Buffer.concat([Buffer.from('张三', 'utf8'), Buffer.from([0xe5, 0xbc])]);
    d.write(body);
    expect(refusal(() => d.end()).params).toMatchObject({ offset: '6' });
  });
});
