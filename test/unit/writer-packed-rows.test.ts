/** Rows packed to cross a thread, and the row port's credits: what goes in comes out, in order. */
import { MessageChannel } from 'node:worker_threads';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowPacker, transferables, unpackRows } from '../../electron/backends/packed-rows.js';
import { RowPortSender, serveRowPort } from '../../electron/backends/row-port.js';
import type { WriteValue } from '../../electron/backends/writer.js';

const value: fc.Arbitrary<WriteValue> = fc.oneof(
  fc.constant(null),
  fc.double(),
  fc.string(),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.boolean(),
  fc.uint8Array({ maxLength: 8 }),
);

describe('RowPacker', () => {
  it('packs any rows and reads them back equal, types kept (NULL apart from the empty string)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.nat({ max: 20 }), (width, count) => {
        const rows = fc.sample(fc.array(value, { minLength: width, maxLength: width }), count);
        const packer = new RowPacker(width);
        for (const row of rows) packer.add(row);
        const batch = packer.take();
        expect(batch.rows).toBe(count);
        expect(unpackRows(batch)).toEqual(rows);
        expect(packer.rows).toBe(0);
      }),
    );
  });

  it('keeps the empty string, NULL, -0 and text with surrogate pairs apart', () => {
    const packer = new RowPacker(4);
    packer.add(['', null, -0, 'a😀b']);
    packer.add([null, '', 0, '']);
    expect(unpackRows(packer.take())).toEqual([
      ['', null, -0, 'a😀b'],
      [null, '', 0, ''],
    ]);
  });
});

describe('row port', () => {
  it('delivers batches in order and never has more than the window unanswered', async () => {
    const { port1, port2 } = new MessageChannel();
    const got: WriteValue[][] = [];
    let queued = 0;
    let maxQueued = 0;
    // Batches that reached the writer and are not answered yet, as the writer's side sees them.
    port2.on('message', () => {
      queued++;
      maxQueued = Math.max(maxQueued, queued);
    });
    serveRowPort(port2, (batch) => got.push(...unpackRows(batch)));
    const written: number[] = [];
    const sender = new RowPortSender(port1, 2, (rows) => written.push(rows));
    port1.on('message', () => queued--);
    for (let i = 0; i < 6; i++) {
      const packer = new RowPacker(1);
      packer.add([i]);
      packer.add([`${i}`]);
      await sender.send(packer.take());
    }
    await sender.drain();
    expect(got).toEqual([0, 1, 2, 3, 4, 5].flatMap((i) => [[i], [`${i}`]]));
    expect(written).toEqual([2, 2, 2, 2, 2, 2]);
    expect(maxQueued).toBeLessThanOrEqual(2);
    sender.close();
  });

  it('a batch the writer refuses fails the sender with its error, and later batches too', async () => {
    const { port1, port2 } = new MessageChannel();
    serveRowPort(port2, (batch) => {
      if (unpackRows(batch)[0]![0] === 'bad') throw new Error('UNIQUE constraint failed: t.id');
    });
    const sender = new RowPortSender(port1, 4);
    const batchOf = (v: WriteValue) => {
      const packer = new RowPacker(1);
      packer.add([v]);
      return packer.take();
    };
    await sender.send(batchOf('bad'));
    await expect(sender.drain()).rejects.toThrow(/UNIQUE constraint failed/);
    await expect(sender.send(batchOf('good'))).rejects.toThrow(/UNIQUE/);
    sender.close();
  });

  it('moves the typed arrays rather than copying them', () => {
    const packer = new RowPacker(2);
    packer.add([1, 'x']);
    const batch = packer.take();
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(batch, transferables(batch));
    expect(batch.tags.byteLength).toBe(0);
    expect(batch.numbers.byteLength).toBe(0);
    port1.close();
    port2.close();
  });
});
