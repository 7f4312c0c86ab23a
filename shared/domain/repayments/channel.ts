// A lender's free-text channel ('支付宝', '银行卡代扣', 'WeChat Pay', 'APP还款') to the agency's payment
// channels. The lender's own wording is kept with the row; the payment gets the nearest channel.
import { PAYMENT_CHANNELS } from '../../contract/money.js';

export type PaymentChannel = (typeof PAYMENT_CHANNELS)[number];

const RULES: readonly [RegExp, PaymentChannel][] = [
  [/支付宝|alipay/i, 'alipay'],
  [/微信|wechat|weixin|wxpay/i, 'wechat'],
  [/现金|cash/i, 'cash'],
  [/银行|转账|汇款|代扣|划扣|对公|网银|银联|bank|transfer|debit|card|卡/i, 'bank_transfer'],
  [/app|平台|官网|小程序|主动还款|platform|online/i, 'lender_platform'],
];

/** No channel in the file: the lender collected it, through its own platform. */
export function channelOf(text: string): PaymentChannel {
  const s = text.normalize('NFKC').trim();
  if (s === '') return 'lender_platform';
  if ((PAYMENT_CHANNELS as readonly string[]).includes(s)) return s as PaymentChannel;
  for (const [re, channel] of RULES) if (re.test(s)) return channel;
  return 'other';
}
