/**
 * The sample files the import page offers (README's "Import" section documents the same
 * columns): a customers CSV with every kind of column, and events as NDJSON.
 */
export const CUSTOMERS_SAMPLE = `id,name,email,phone,birthday,timezone,locale,owner,tags,consent.email,consent.sms,city,member_level
c-1001,李娜,lina@example.com,139 1234 5678,1990-05-17,Asia/Shanghai,zh-CN,mei@shop.example,vip;coffee,granted,withdrawn,上海,3
c-1002,Wei Zhang,wei.zhang@example.com,+86 138 0013 8000,--08-02,Asia/Shanghai,en,,newsletter,granted,,北京,1
c-1003,王芳,,+86 137 0000 1111,,Asia/Shanghai,zh-CN,lei@shop.example,,,granted,广州,2
`;

export const EVENTS_SAMPLE = `{"id":"order-5001","customerId":"c-1001","type":"order.placed","data":{"amount":128.5,"items":2},"occurredAt":"2026-11-02T09:30:00+08:00"}
{"id":"order-5002","customerId":"c-1002","type":"order.placed","data":{"amount":56},"occurredAt":"2026-11-20T14:05:00+08:00"}
{"customerId":"c-1003","type":"store.visited","data":{"store":"徐汇店"}}
`;

/** Starts a download of a text file (a CSV with its byte-order mark, so Excel reads it as UTF-8). */
export function downloadText(name: string, text: string, type: string): void {
  const blob = new Blob([text], { type: `${type};charset=utf-8` });
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
