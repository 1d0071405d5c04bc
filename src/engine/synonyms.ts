/**
 * A small general thesaurus for questions. It is used only for query words the fact base does not
 * contain: an unknown word is looked up here and its synonyms are matched at a reduced weight, so
 * "territory" can find a fact that says "area" without ever changing what a known word means.
 * Keys and values are plain lower-case words; they are stemmed like every other term.
 * Words that mean exactly the same (km / kilometres, GDP / gross domestic product) are not here: they
 * are the curated groups of knowledge/expansions.yaml (./expansions.ts), matched at full weight.
 */
export const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  territory: ['area'], land: ['area'], size: ['area', 'big'], large: ['big', 'area'], huge: ['big'], square: ['area'],
  percentage: ['percent', 'share'], proportion: ['share', 'percent'], fraction: ['share'], portion: ['share'],
  inhabitants: ['population', 'people'], residents: ['population', 'resident'], citizens: ['population', 'people'], populace: ['population'],
  live: ['population', 'resident'], living: ['population'], persons: ['people'], populated: ['population'],
  firms: ['company', 'enterprise'], firm: ['company', 'enterprise'], businesses: ['company', 'enterprise'], business: ['company'],
  corporation: ['company'], corporations: ['company'], enterprise: ['company'], companies: ['company'],
  startups: ['startup'], 'start-ups': ['startup'], entrepreneurs: ['entrepreneurship', 'startup'],
  metro: ['subway', 'line'], underground: ['subway'], train: ['subway', 'line'], rail: ['subway', 'line'], tube: ['subway'],
  college: ['university'], colleges: ['university'], uni: ['university'], universities: ['university'], campus: ['university'], school: ['university'],
  established: ['founded'], establish: ['founded'], created: ['founded'], create: ['founded'], started: ['founded'], start: ['founded'],
  began: ['founded'], begin: ['founded'], opened: ['open', 'founded'], built: ['built', 'founded'], constructed: ['built'], formed: ['founded'],
  founding: ['founded'], origins: ['origin', 'founded'], inception: ['founded'],
  headquarters: ['office', 'headquartered'], hq: ['headquarters', 'office'], based: ['located', 'office'], situated: ['located'],
  locate: ['located', 'address'], location: ['located', 'address', 'where'], whereabouts: ['located', 'address'], address: ['office', 'located'],
  find: ['address', 'located'], directions: ['address', 'get'],
  bathroom: ['toilet'], bathrooms: ['toilet'], restroom: ['toilet'], restrooms: ['toilet'], washroom: ['toilet'], loo: ['toilet'], wc: ['toilet'],
  subscription: ['membership'], subscribe: ['membership', 'join'], rates: ['fee', 'price', 'charge'], rate: ['fee', 'price', 'charge', 'growth'],
  charge: ['fee', 'price'], charges: ['fee', 'price'], costs: ['fee', 'price'], tariff: ['fee', 'price'], pay: ['fee', 'payment'],
  enrol: ['enrolment', 'register', 'apply'], enroll: ['enrolment', 'register', 'apply'], enrollment: ['enrolment'], signup: ['register', 'join'],
  register: ['registration', 'enrolment'], registration: ['register', 'enrolment'], apply: ['application'], application: ['apply'],
  shut: ['close', 'closing'], closes: ['close', 'closing'], closed: ['close', 'closing'], opens: ['open', 'opening'],
  reserve: ['book', 'booking'], reservation: ['book', 'booking'], appointment: ['appointment', 'book'],
  telephone: ['phone'], ring: ['phone', 'call'], number: ['phone'], contact: ['phone'],
  holidays: ['holiday'], vacation: ['holiday'], vacations: ['holiday'], break: ['holiday'],
  cost: ['price', 'fee'], price: ['cost', 'fee'], revenue: ['income'], earnings: ['income'], turnover: ['income'], sales: ['income'],
  output: ['gdp', 'economy'], economy: ['gdp', 'economic'], economic: ['economy', 'gdp'], wealth: ['gdp', 'economy'],
  increase: ['growth', 'grow'], increased: ['growth'], rise: ['growth'], rose: ['growth'], grew: ['growth', 'grow'], growing: ['growth'],
  expand: ['growth'], expanded: ['growth'], jump: ['growth'],
  inventions: ['patent'], invention: ['patent'], ip: ['patent'],
  deals: ['contract'], deal: ['contract'], agreements: ['contract'],
  neighbouring: ['border', 'neighbour'], neighboring: ['border', 'neighbour'], neighbors: ['border', 'neighbour'], neighbours: ['border'],
  adjacent: ['border'], bordering: ['border'], surround: ['border'], surrounding: ['border'],
  called: ['name', 'named'], named: ['name'], meaning: ['name', 'origin'], means: ['name', 'origin'], etymology: ['name', 'origin'],
  famous: ['known'], renowned: ['known', 'famous'], nickname: ['known'], nicknamed: ['known'], dubbed: ['known'],
  mountain: ['hill'], mountains: ['hill'], hills: ['hill'], gardens: ['garden'], parks: ['park'], books: ['library'],
  stock: ['listed'], ipo: ['listed'], exchange: ['listed'],
  destroyed: ['burned', 'destroyed'], burnt: ['burned'], burn: ['burned'], fire: ['burned'], ruined: ['burned', 'ruins'], looted: ['burned'],
  heritage: ['unesco', 'world'], unesco: ['heritage', 'world'],
  lengthy: ['long'], length: ['long', 'km'], stations: ['station'], stops: ['station'], stop: ['station'],
  divisions: ['subdistrict'], subdivisions: ['subdistrict'], neighbourhoods: ['subdistrict'], townships: ['town'],
  research: ['research'], institutes: ['institute'], labs: ['laboratory'], lab: ['laboratory'], laboratories: ['laboratory'],
  talents: ['talent'], experts: ['talent'], specialists: ['talent'], bureaucracy: ['administrative', 'reform'],
  cofounder: ['co', 'founder'], founders: ['founder'], partner: ['cooperated', 'partners'], partnered: ['cooperated'], worked: ['cooperated'],
  collaborate: ['cooperated'], collaborated: ['cooperated'], collaboration: ['cooperated'], cooperation: ['cooperated'],
};
