/** A complaint as `GET /api/complaints` answers it. */
export interface Complaint {
  id: string;
  reference: string;
  customerId: string;
  channel: string;
  category: string;
  severity: 'low' | 'medium' | 'high';
  description: string;
  attachments: string[];
  owner: string;
  level: number;
  status: 'open' | 'acknowledged' | 'resolved' | 'closed';
  receivedAt: string;
  respondBy: string;
  resolveBy: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  responseBreached: boolean;
  resolutionBreached: boolean;
  resolution: string | null;
  csat: number | null;
}

export type Move = 'acknowledge' | 'resolve' | 'close' | 'reopen';

/** The moves a complaint in this status can make. */
export const MOVES: Record<Complaint['status'], Move[]> = {
  open: ['acknowledge', 'resolve'],
  acknowledged: ['resolve'],
  resolved: ['close', 'reopen'],
  closed: ['reopen'],
};

/** One group of the analysis (`GET /api/complaints/figures`). */
export interface Figures {
  key: string;
  total: number;
  open: number;
  breached: number;
  respondHours: number | null;
  resolveHours: number | null;
  csat: number | null;
  rated: number;
}
