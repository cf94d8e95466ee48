import { type Kysely, sql } from '@tend/plugin-sdk';

/** The brand customers see in messages: one row, in the messaging plugin's own schema. */
export interface Brand {
  /** The company's name, in English and in Chinese (either may be empty: the other is used). */
  name: { en: string; 'zh-CN': string };
  /** A logo image (https URL) shown at the top of every email; empty: the name instead. */
  logoUrl: string;
  address: { en: string; 'zh-CN': string };
  servicePhone: string;
  serviceEmail: string;
  /** The shop's website (https), for links in messages (`{{ brand.websiteUrl }}/shop/…`). */
  websiteUrl: string;
  /** The name email comes from ("Hillside Coffee" <no-reply@…>); empty: TEND_MAIL_FROM's. */
  senderName: string;
}

export const EMPTY_BRAND: Brand = {
  name: { en: '', 'zh-CN': '' },
  logoUrl: '',
  address: { en: '', 'zh-CN': '' },
  servicePhone: '',
  serviceEmail: '',
  websiteUrl: '',
  senderName: '',
};

/** The messaging plugin's tables (schema plugin_messaging). */
export interface MessagingDatabase {
  brand: { id: number; brand: Brand; updated_at: Date; updated_by: string };
}
type Db = Kysely<MessagingDatabase>;

export async function readBrand(db: Db): Promise<(Brand & { updatedAt: string | null }) | null> {
  const row = await db
    .selectFrom('brand')
    .select(['brand', 'updated_at'])
    .where('id', '=', 1)
    .executeTakeFirst();
  return row ? { ...EMPTY_BRAND, ...row.brand, updatedAt: row.updated_at.toISOString() } : null;
}

export async function saveBrand(db: Db, brand: Brand, by: string, now: Date): Promise<void> {
  await db
    .insertInto('brand')
    .values({ id: 1, brand: JSON.stringify(brand) as unknown as Brand, updated_at: now, updated_by: by })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        brand: JSON.stringify(brand) as unknown as Brand,
        updated_at: now,
        updated_by: by,
      }),
    )
    .execute();
}

/** Frozen migrations of schema plugin_messaging. */
export const MIGRATIONS = [
  {
    name: '2026-12-09-01-brand',
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE brand (
          id int PRIMARY KEY CHECK (id = 1),
          brand jsonb NOT NULL,
          updated_at timestamptz NOT NULL,
          updated_by text NOT NULL
        )`.execute(db);
    },
  },
];
