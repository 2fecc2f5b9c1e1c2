/** The kinds of credit commitment, their standard texts, and how the catalog records them. */

export const COMMITMENT_KINDS = ['licensing', 'certification', 'missing_documents'] as const;
export type CommitmentKind = (typeof COMMITMENT_KINDS)[number];

/**
 * Per kind: the catalog's commitment type (credit_commitment's 承诺类型) and the standard text the
 * subject signs, with the matter and the day it is to be fulfilled by filled in.
 */
export const COMMITMENT_TEXTS: Readonly<Record<CommitmentKind, { type: string; text: string }>> = {
  // 告知承诺制审批: the licence is granted on the commitment that the conditions are met.
  licensing: {
    type: '审批替代型',
    text: '本主体申请办理“{matter}”，已知晓该事项的审批条件和要求，承诺已经符合（或将于{fulfilBy}前符合）全部条件，所提交材料真实有效；如承诺不实或未履行承诺，愿意承担相应法律责任，并同意将违诺信息记入信用记录。',
  },
  // 证明事项告知承诺制: a certificate is replaced by the commitment that its facts are true.
  certification: {
    type: '证明事项告知承诺',
    text: '本主体就“{matter}”所需证明事项作出承诺：所承诺的事实真实、准确，并于{fulfilBy}前接受核查；如承诺不实，愿意承担相应法律责任，并同意将违诺信息记入信用记录。',
  },
  // 容缺受理: the application is accepted with documents missing, which follow by the day set.
  missing_documents: {
    type: '审批替代型',
    text: '本主体申请办理“{matter}”，对容缺受理的材料承诺于{fulfilBy}前补齐，所提交材料真实有效；逾期未补齐或材料不实的，愿意承担相应后果，并同意将违诺信息记入信用记录。',
  },
};

export interface SignRequest {
  kind: CommitmentKind;
  /** The department the commitment is made to, which checks it. */
  department: string;
  matter: string;
  /** The day by which it is to be fulfilled. */
  fulfilBy: string;
}

export type CommitmentOutcome =
  | { outcome: 'fulfilled'; note: string }
  /** A breach is a finding of the department: its document number, and how the commitment was breached. */
  | { outcome: 'breached'; note: string; documentNumber: string };

export interface CommitmentView {
  id: number;
  kind: CommitmentKind;
  subject: { id: number; name: string };
  department: string;
  matter: string;
  text: string;
  signedBy: string;
  signedOn: string;
  fulfilBy: string;
  /** Still signed past the day it was to be fulfilled by. */
  overdue: boolean;
  status: 'signed' | 'fulfilled' | 'breached';
  outcomeNote: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  /** The credit_commitment record the signature made, and the breached_commitment record of a breach. */
  recordId: number | null;
  breachRecordId: number | null;
}

/** What signing offers (`CommitmentService.standard`): the kinds and their texts, the departments, the days. */
export interface CommitmentStandard {
  kinds: Array<{ kind: CommitmentKind; type: string; text: string }>;
  departments: Array<{ code: string; name: string }>;
  fulfilBy: { earliest: string; latest: string };
}
