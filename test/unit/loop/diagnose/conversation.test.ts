import { describe, expect, it } from 'vitest';
import { withoutQuotedReply } from '../../../../src/loop/diagnose/offline/conversation.js';

describe('withoutQuotedReply', () => {
  it('drops quoted lines and everything below a reply header, in the common mail clients', () => {
    expect(withoutQuotedReply('Sounds good.\n> Ships October 26')).toBe('Sounds good.');
    for (const header of [
      'On Sun, Oct 18, 2026 at 8:21 AM Shop <hello@shop.example> wrote:',
      '________________________________ From: Shop <hello@shop.example> Sent: Tuesday, October 13, 2026',
      '-----Original Message-----',
      'Le dim. 18 oct. 2026 à 08:21, Shop <hello@shop.example> a écrit :',
      'Am So., 18. Okt. 2026 um 08:21 Uhr schrieb Shop <hello@shop.example>:',
      'El dom, 18 oct 2026 a las 8:21, Shop (<hello@shop.example>) escribió:',
    ]) {
      expect(
        withoutQuotedReply(
          `The week after, please. Evelyn ${header} Of course. It can ship the week of October 26`,
        ),
        header,
      ).toBe('The week after, please. Evelyn');
    }
  });

  it('keeps a message that only tells of someone writing', () => {
    for (const text of [
      'On Monday I wrote: hello',
      'I ordered on Monday and my wife wrote: a note',
    ]) {
      expect(withoutQuotedReply(text)).toBe(text);
    }
  });
});
