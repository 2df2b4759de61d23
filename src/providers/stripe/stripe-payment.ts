import type { StripeEvent } from './stripe-event.schema.js';

/** What the Stripe handlers read of a PaymentIntent or an Invoice, whichever the event carries. */
export interface StripePayment {
  /** `pi_…`: the payment's identity across `payment_intent.*` and `invoice.*` events. */
  paymentIntentId: string | null;
  /** In the currency's smallest unit, as Stripe sends it. */
  amount: number;
  currency: string;
  customerId: string | null;
  /** `receipt_email` (or the invoice's `customer_email`), else `metadata.email`. */
  email: string | null;
  name: string | null;
  /** Billing state as given on the object (`metadata.billing_state`, the invoice's customer address). */
  state: string | null;
  description: string | null;
  hostedInvoiceUrl: string | null;
  /** Why a payment failed (`last_payment_error`), when the object says. */
  failure: { message: string | null; code: string | null; declineCode: string | null } | null;
  metadata: Record<string, string>;
}

type Obj = Record<string, unknown>;
const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
const obj = (value: unknown): Obj | null => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : null);
const idOf = (value: unknown): string | null => str(value) ?? str(obj(value)?.id);
const email = (value: unknown): string | null => {
  const s = str(value)?.trim();
  return s && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) ? s : null;
};

export function paymentOf(event: StripeEvent): StripePayment {
  const o = event.data.object as Obj;
  const metadata = Object.fromEntries(Object.entries(obj(o.metadata) ?? {}).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  if (o.object === 'invoice') return invoicePayment(o, metadata);
  const error = obj(o.last_payment_error);
  return {
    paymentIntentId: o.object === 'payment_intent' ? str(o.id) : idOf(o.payment_intent),
    amount: typeof o.amount_received === 'number' && o.amount_received > 0 ? o.amount_received : Number(o.amount ?? 0),
    currency: String(o.currency ?? '').toUpperCase(),
    customerId: idOf(o.customer),
    email: email(o.receipt_email) ?? email(metadata.email),
    name: str(obj(o.shipping)?.name) ?? str(metadata.name),
    state: str(metadata.billing_state),
    description: str(o.description),
    hostedInvoiceUrl: null,
    failure: error ? { message: str(error.message), code: str(error.code), declineCode: str(error.decline_code) } : null,
    metadata,
  };
}

function invoicePayment(o: Obj, metadata: Record<string, string>): StripePayment {
  // API versions before 2025-03-31 carry `payment_intent`; later ones list payments (when expanded).
  const payments = (obj(o.payments)?.data as Obj[] | undefined) ?? [];
  const fromPayments = payments.map((p) => idOf(obj(p.payment)?.payment_intent)).find(Boolean) ?? null;
  const lines = (obj(o.lines)?.data as Obj[] | undefined) ?? [];
  const paid = o.status === 'paid' || typeof o.amount_paid === 'number' && o.amount_paid > 0;
  return {
    paymentIntentId: idOf(o.payment_intent) ?? fromPayments,
    amount: Number((paid ? o.amount_paid : o.amount_due) ?? 0),
    currency: String(o.currency ?? '').toUpperCase(),
    customerId: idOf(o.customer),
    email: email(o.customer_email) ?? email(metadata.email),
    name: str(o.customer_name),
    state: str(obj(o.customer_address)?.state) ?? str(metadata.billing_state),
    description: str(o.description) ?? str(lines[0]?.description),
    hostedInvoiceUrl: str(o.hosted_invoice_url),
    failure: null,
    metadata,
  };
}
