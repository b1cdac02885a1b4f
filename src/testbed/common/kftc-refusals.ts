// The emulator's refusals as classes that name the rule they enforce (as node-oidc-provider's errors do):
// `throw new TransferConsentMissing(echo)` instead of a bare code. Each carries its rsp_code (and a bank
// refusal its bank_rsp_code) with the reference message; the plugin's error handler answers any KftcError
// in the KFTC envelope (HTTP 200, the echoed request fields after it).
import { bankLeg } from './envelope';
import { type BankRspCode, KftcError, type KftcRspCode, kftcError, rspMessage } from './kftc-error';

export type Echo = Record<string, unknown>;

/** A refusal by a rule: the code's reference message, " - detail" when given, the request fields echoed. */
export class KftcRefusal extends KftcError {
  constructor(rspCode: KftcRspCode, echo: Echo = {}, detail?: string) {
    const base = rspMessage(rspCode);
    super(rspCode, detail ? `${base} - ${detail}` : base, echo);
  }
}

/** A0304: the fintech_use_num is unknown, cancelled, or another organization's (its world only). */
export class FintechUseNumUnknown extends KftcRefusal {
  constructor(echo?: Echo) {
    super('A0304', echo);
  }
}

/** A0313: a user token may act only for its own user_seq_no. */
export class NotTheTokensUser extends KftcRefusal {
  constructor(echo?: Echo) {
    super('A0313', echo);
  }
}

/** A0337: no such test person for this organization. */
export class UserNotFound extends KftcRefusal {
  constructor(echo?: Echo) {
    super('A0337', echo);
  }
}

/** A0014: the test person left the organization's service (user/close). */
export class UserClosed extends KftcRefusal {
  constructor(echo?: Echo) {
    super('A0014', echo);
  }
}

/** A0323: the registration was cancelled (account/cancel of both services, user/close). */
export class RegistrationCancelled extends KftcRefusal {
  constructor(echo?: Echo) {
    super('A0323', echo);
  }
}

/** A0305: an inquiry needs the user's consent to share account information (제3자정보제공동의). */
export class InquiryConsentMissing extends KftcRefusal {
  constructor(echo?: Echo) {
    super('A0305', echo);
  }
}

/** A0316: that consent has expired. */
export class InquiryConsentExpired extends KftcRefusal {
  constructor(echo?: Echo) {
    super('A0316', echo);
  }
}

/** A0306: a withdrawal needs the user's withdrawal consent (출금동의). */
export class TransferConsentMissing extends KftcRefusal {
  constructor(echo?: Echo) {
    super('A0306', echo);
  }
}

/** A0319: that consent has expired (or the scenario marker #A0319 says so). */
export class TransferConsentExpired extends KftcRefusal {
  constructor(echo?: Echo) {
    super('A0319', echo);
  }
}

/** A0322: cntr_account_num is not the organization's active contract account for this purpose. */
export class ContractAccountUnregistered extends KftcRefusal {
  constructor(echo?: Echo) {
    super('A0322', echo);
  }
}

/** A0326: the bank_tran_id was already used that KST day (before anything happened). */
export class BankTranIdReused extends KftcRefusal {
  constructor(echo?: Echo) {
    super('A0326', echo);
  }
}

/** A0307: the deposit's wd_pass_phrase is refused (only by the #A0307 scenario in the sandbox). */
export class PassPhraseMismatch extends KftcRefusal {
  constructor(echo: Echo, detail: string) {
    super('A0307', echo, detail);
  }
}

/** A0310: no such original transfer (transfer/result, return/claim) or return claim (return/result). */
export class TransferNotFound extends KftcRefusal {
  constructor(echo?: Echo, detail?: string) {
    super('A0310', echo, detail);
  }
}

/** A0008: the deposit was already returned, in full or in part. */
export class AlreadyReturned extends KftcRefusal {
  constructor(echo?: Echo) {
    super('A0008', echo);
  }
}

/** A0001: the transfer is booked but its bank has not answered yet: ask transfer/result. */
export class StillProcessing extends KftcRefusal {
  constructor(echo?: Echo) {
    super('A0001', echo);
  }
}

/** The limit codes of transfer-limits.ts (organization and user, withdrawal and deposit). */
export type LimitRspCode = 'A0101' | 'A0102' | 'A0103' | 'A0104' | 'A0111' | 'A0112';

/** An organization's daily or monthly limit refuses the whole request (no bank leg). */
export class LimitExceeded extends KftcRefusal {
  constructor(rspCode: LimitRspCode, echo?: Echo) {
    super(rspCode, echo);
  }
}

/**
 * The bank refused (A0002 참가기관 에러, or the rsp_code the rule names): the answer carries a bank leg
 * with bank_rsp_code and its message, then the request fields echoed.
 */
export class BankRefused extends KftcError {
  readonly bankRspCode: BankRspCode;
  constructor(opts: {
    rspCode?: KftcRspCode;
    bankRspCode: BankRspCode;
    bankTranId: string;
    bankCode: string;
    now: Date;
    echo?: Echo;
  }) {
    const code = opts.rspCode ?? 'A0002';
    super(code, rspMessage(code), {
      ...bankLeg({
        bankTranId: opts.bankTranId,
        bankCode: opts.bankCode,
        date: opts.now,
        bankRspCode: opts.bankRspCode,
      }),
      ...opts.echo,
    });
    this.bankRspCode = opts.bankRspCode;
  }
}

/** A refusal by a code read from data (a scenario marker, a limit rule), with its reference message. */
export function refusalOf(rspCode: KftcRspCode, echo: Echo = {}, detail?: string): KftcError {
  return kftcError(rspCode, detail, echo);
}
