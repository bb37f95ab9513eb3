/**
 * The demo star schema: customers (10,000), products (500) and sales (1,000,000), generated
 * deterministically from a fixed seed so every first start, test and benchmark sees the same rows.
 * The values include what a grid must render carefully: NULLs beside empty strings, long text,
 * blobs, booleans, and text that looks like HTML.
 */
import type Database from 'better-sqlite3';

export const demoSizes = { customers: 10_000, products: 500, sales: 1_000_000 } as const;
export const demoTotalRows = demoSizes.customers + demoSizes.products + demoSizes.sales;

/** mulberry32: small, fast and good enough for test data; the same seed gives the same rows. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const schemaSql = `
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT,
  country TEXT NOT NULL,
  city TEXT,
  signed_up DATE NOT NULL,
  segment TEXT
);
CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  unit_price DECIMAL(10,2) NOT NULL,
  active BOOLEAN NOT NULL,
  thumbnail BLOB
);
CREATE TABLE sales (
  id INTEGER PRIMARY KEY,
  date DATE NOT NULL,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  product_id INTEGER NOT NULL REFERENCES products(id),
  amount DECIMAL(10,2) NOT NULL,
  currency TEXT NOT NULL,
  paid BOOLEAN NOT NULL,
  note TEXT
);
CREATE VIEW sales_by_currency AS
  SELECT currency, count(*) AS sales, round(sum(amount), 2) AS total FROM sales GROUP BY currency;
`;

// prettier-ignore
const firstNames = ['Ada', 'Grace', 'Linus', 'Margaret', 'Alan', 'Barbara', 'Dennis', 'Frances', 'Ken', 'Radia', 'Edsger', 'Hedy', 'Tim', 'Katherine', 'John', 'Sophie', 'Yukihiro', 'Guido', 'Anders', 'Rasmus'];
// prettier-ignore
const lastNames = ['Lovelace', 'Hopper', 'Torvalds', 'Hamilton', 'Turing', 'Liskov', 'Ritchie', 'Allen', 'Thompson', 'Perlman', 'Dijkstra', 'Lamarr', 'Berners-Lee', 'Johnson', 'McCarthy', 'Wilson', 'Matsumoto', 'van Rossum', 'Hejlsberg', 'Lerdorf'];
// prettier-ignore
const places: Array<[country: string, city: string]> = [['FR', 'Paris'], ['FR', 'Lyon'], ['DE', 'Berlin'], ['DE', 'München'], ['GB', 'London'], ['US', 'New York'], ['US', 'Austin'], ['JP', '東京'], ['BR', 'São Paulo'], ['IN', 'Bengaluru'], ['NG', 'Lagos'], ['CA', 'Montréal']];
// prettier-ignore
const segments = ['consumer', 'small business', 'enterprise', 'education'];
// prettier-ignore
const categories = ['books', 'garden', 'kitchen', 'music', 'outdoor', 'software', 'tools', 'toys'];
// prettier-ignore
const adjectives = ['Compact', 'Deluxe', 'Eco', 'Classic', 'Pro', 'Mini', 'Smart', 'Heavy-duty'];
// prettier-ignore
const nouns = ['Lamp', 'Kettle', 'Trowel', 'Synth', 'Tent', 'Compiler', 'Wrench', 'Puzzle', 'Notebook', 'Speaker'];
// prettier-ignore
const currencies = ['EUR', 'EUR', 'EUR', 'USD', 'USD', 'GBP', 'JPY', 'BRL'];
// prettier-ignore
const notes = ['gift wrap', 'deliver after 6pm', 'leave with neighbour', 'invoice, please', 'call on arrival, "ring twice"', '<b>fragile</b> & heavy', 'refund requested; see ticket #4411'];
const longNote = `Customer wrote: ${'the parcel arrived late and the box was damaged, but the contents were fine. '.repeat(30)}`;

const dayMs = 86_400_000;
const salesStart = Date.UTC(2021, 0, 1);
const salesDays = 4 * 365;

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Creates and fills the demo tables in `db` (an empty database), reporting rows written.
 * Synchronous: run it in a worker thread, and cancel it by terminating the thread.
 */
export function generateDemo(db: Database.Database, onProgress: (done: number) => void): void {
  const random = seededRandom(20230101);
  db.exec(schemaSql);
  let done = 0;

  const insertCustomer = db.prepare('INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let id = 1; id <= demoSizes.customers; id++) {
      const first = pick(random, firstNames);
      const last = pick(random, lastNames);
      const [country, city] = pick(random, places);
      const email =
        random() < 0.05
          ? null
          : `${first}.${last}${id}@example.com`.toLowerCase().replace(/ /g, '');
      const signedUp = isoDate(salesStart - Math.floor(random() * 3 * 365) * dayMs);
      const segment = random() < 0.03 ? '' : pick(random, segments);
      insertCustomer.run(
        id,
        `${first} ${last}`,
        email,
        country,
        random() < 0.02 ? null : city,
        signedUp,
        segment,
      );
    }
  })();
  done += demoSizes.customers;
  onProgress(done);

  const insertProduct = db.prepare('INSERT INTO products VALUES (?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let id = 1; id <= demoSizes.products; id++) {
      const thumbnail =
        random() < 0.5
          ? Buffer.from(Array.from({ length: 48 }, () => Math.floor(random() * 256)))
          : null;
      insertProduct.run(
        id,
        `SKU-${String(id).padStart(5, '0')}`,
        `${pick(random, adjectives)} ${pick(random, nouns)} ${id}`,
        pick(random, categories),
        Math.round((2 + random() * 498) * 100) / 100,
        random() < 0.9 ? 1 : 0,
        thumbnail,
      );
    }
  })();
  done += demoSizes.products;
  onProgress(done);

  const insertSale = db.prepare('INSERT INTO sales VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const batch = 50_000;
  for (let start = 1; start <= demoSizes.sales; start += batch) {
    const end = Math.min(start + batch - 1, demoSizes.sales);
    db.transaction(() => {
      for (let id = start; id <= end; id++) {
        const r = random();
        const note = r < 0.85 ? null : r < 0.9 ? '' : r < 0.9995 ? pick(random, notes) : longNote;
        insertSale.run(
          id,
          isoDate(salesStart + Math.floor(random() * salesDays) * dayMs),
          1 + Math.floor(random() * demoSizes.customers),
          1 + Math.floor(random() * demoSizes.products),
          Math.round(random() * 100_000) / 100,
          pick(random, currencies),
          random() < 0.93 ? 1 : 0,
          note,
        );
      }
    })();
    done += end - start + 1;
    onProgress(done);
  }
  db.exec('CREATE INDEX sales_date ON sales(date); ANALYZE;');
}
