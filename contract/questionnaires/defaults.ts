/**
 * The questionnaires the hub ships, as data in the same form an organisation posts its own. They
 * follow what OpenTele (the Danish national telemedicine platform) pairs with measurements: COPD
 * symptom questions on the Anthonisen criteria, heart-failure questions on the ESC 2021 guideline's
 * symptoms and self-care advice. A change to one is a new version here, never an edit of a released
 * version (responses name the version they answered).
 */
import type { QuestionnaireDefinitionInput } from './definition.js';

const ANTHONISEN = 'Anthonisen NR et al. Antibiotic therapy in exacerbations of chronic obstructive pulmonary disease. Ann Intern Med 1987;106:196-204';
const STOCKLEY = 'Stockley RA et al. Relationship of sputum color to nature and outpatient management of acute exacerbations of COPD. Chest 2000;117:1638-45';
const GOLD = 'Global Initiative for Chronic Obstructive Lung Disease (GOLD) report 2024, chapter 5: exacerbations (increased reliever use)';
const ESC = 'McDonagh TA et al. 2021 ESC Guidelines for the diagnosis and treatment of acute and chronic heart failure. Eur Heart J 2021;42:3599-3726';
const ESC_SELF_CARE = `${ESC}; self-care: weigh daily, contact the team on a weight gain of more than 2 kg in 3 days or worsening breathlessness or swelling`;

export const COPD_SYMPTOMS: QuestionnaireDefinitionInput = {
  id: 'copd-symptoms',
  version: 1,
  title: { da: 'KOL: symptomer i dag', sv: 'KOL: symtom i dag', en: 'COPD: symptoms today' },
  conditionGroups: ['copd'],
  validForHours: 24,
  questions: [
    {
      linkId: 'breathless',
      type: 'boolean',
      text: { da: 'Er du mere forpustet end du plejer?', sv: 'Är du mer andfådd än vanligt?', en: 'Are you more breathless than usual?' },
      source: `${ANTHONISEN}: cardinal symptom 1, increased dyspnoea`,
    },
    {
      linkId: 'sputum-more',
      type: 'boolean',
      text: { da: 'Hoster du mere slim op end du plejer?', sv: 'Hostar du upp mer slem än vanligt?', en: 'Are you coughing up more sputum than usual?' },
      source: `${ANTHONISEN}: cardinal symptom 2, increased sputum volume`,
    },
    {
      linkId: 'sputum-colour',
      type: 'choice',
      text: { da: 'Hvilken farve har dit slim i dag?', sv: 'Vilken färg har ditt slem i dag?', en: 'What colour is your sputum today?' },
      options: [
        { code: 'none', display: { da: 'Intet slim', sv: 'Inget slem', en: 'No sputum' } },
        { code: 'clear', display: { da: 'Klart eller hvidt', sv: 'Klart eller vitt', en: 'Clear or white' } },
        { code: 'yellow', display: { da: 'Gult', sv: 'Gult', en: 'Yellow' } },
        { code: 'green', display: { da: 'Grønt', sv: 'Grönt', en: 'Green' } },
      ],
      source: `${ANTHONISEN}: cardinal symptom 3, sputum purulence; colour as its marker: ${STOCKLEY}`,
    },
    {
      linkId: 'reliever-doses',
      type: 'integer',
      min: 0,
      max: 40,
      text: { da: 'Hvor mange gange har du brugt din anfaldsmedicin (inhalator) det sidste døgn?', sv: 'Hur många gånger har du använt din vid behovs-medicin (inhalator) det senaste dygnet?', en: 'How many times have you used your reliever inhaler in the last 24 hours?' },
      source: GOLD,
    },
    {
      linkId: 'comment',
      type: 'text',
      required: false,
      maxLength: 500,
      text: { da: 'Er der andet, du vil fortælle sygeplejersken?', sv: 'Är det något annat du vill berätta för sjuksköterskan?', en: 'Anything else you want to tell the nurse?' },
      source: 'Free text for the care team; not scored (OpenTele questionnaire practice)',
    },
  ],
  scores: [
    {
      id: 'anthonisen',
      title: { da: 'Anthonisen-kriterier (0-3)', sv: 'Anthonisen-kriterier (0-3)', en: 'Anthonisen criteria (0-3)' },
      terms: [
        { when: { linkId: 'breathless', equals: true }, points: 1 },
        { when: { linkId: 'sputum-more', equals: true }, points: 1 },
        { when: { linkId: 'sputum-colour', in: ['yellow', 'green'] }, points: 1 },
      ],
      source: ANTHONISEN,
    },
  ],
  rules: [
    {
      ruleId: 'anthonisen-type-1',
      when: { all: [{ score: 'anthonisen', gte: 3 }] },
      severity: 'high',
      summary: 'COPD exacerbation, Anthonisen type 1: more breathless, more sputum and purulent sputum',
      source: `${ANTHONISEN}: type 1 (all three cardinal symptoms), the group that benefited most from antibiotics`,
    },
    {
      ruleId: 'anthonisen-type-2',
      when: { all: [{ score: 'anthonisen', gte: 2, lte: 2 }] },
      severity: 'high',
      summary: 'COPD exacerbation, Anthonisen type 2: two of breathlessness, sputum volume, sputum purulence',
      source: `${ANTHONISEN}: type 2 (two of the three cardinal symptoms)`,
    },
    {
      ruleId: 'one-cardinal-symptom',
      when: { all: [{ score: 'anthonisen', gte: 1, lte: 1 }] },
      severity: 'low',
      summary: 'COPD: one cardinal exacerbation symptom reported; follow up at the next contact',
      source: `${ANTHONISEN}: a single cardinal symptom (type 3 needs a minor criterion as well)`,
    },
  ],
};

export const HEART_FAILURE_SYMPTOMS: QuestionnaireDefinitionInput = {
  id: 'heart-failure-symptoms',
  version: 1,
  title: { da: 'Hjertesvigt: symptomer i dag', sv: 'Hjärtsvikt: symtom i dag', en: 'Heart failure: symptoms today' },
  conditionGroups: ['heart_failure'],
  validForHours: 24,
  questions: [
    {
      linkId: 'ankle-swelling',
      type: 'boolean',
      text: { da: 'Er dine ankler eller ben mere hævede end de plejer?', sv: 'Är dina anklar eller ben mer svullna än vanligt?', en: 'Are your ankles or legs more swollen than usual?' },
      source: `${ESC}: peripheral oedema (ankle swelling), a typical sign of congestion`,
    },
    {
      linkId: 'orthopnoea',
      type: 'boolean',
      text: { da: 'Bliver du mere forpustet, når du ligger ned, eller har du brug for flere puder?', sv: 'Blir du mer andfådd när du ligger ner, eller behöver du fler kuddar?', en: 'Are you more breathless lying down, or do you need more pillows?' },
      source: `${ESC}: orthopnoea, a typical symptom of heart failure`,
    },
    {
      linkId: 'night-breathless',
      type: 'boolean',
      text: { da: 'Er du vågnet om natten, fordi du var forpustet?', sv: 'Har du vaknat på natten för att du var andfådd?', en: 'Have you woken at night because you were breathless?' },
      source: `${ESC}: paroxysmal nocturnal dyspnoea, a typical symptom of heart failure`,
    },
    {
      linkId: 'weight-gain',
      type: 'boolean',
      text: { da: 'Har du taget mere end 2 kg på i løbet af 3 dage?', sv: 'Har du gått upp mer än 2 kg på 3 dagar?', en: 'Have you gained more than 2 kg in 3 days?' },
      source: ESC_SELF_CARE,
    },
    {
      linkId: 'breathless-when',
      type: 'choice',
      text: { da: 'Hvornår bliver du forpustet?', sv: 'När blir du andfådd?', en: 'When do you get breathless?' },
      options: [
        { code: 'not', display: { da: 'Ikke mere end normalt', sv: 'Inte mer än vanligt', en: 'No more than usual' } },
        { code: 'light-activity', display: { da: 'Ved lette ting, fx at klæde mig på', sv: 'Vid lätta saker, t.ex. att klä på mig', en: 'At light activity, such as dressing' } },
        { code: 'rest', display: { da: 'Også når jeg sidder stille', sv: 'Även när jag sitter still', en: 'Even when sitting still' } },
      ],
      source: `${ESC}: breathlessness on minimal exertion or at rest (NYHA class III-IV symptoms)`,
    },
  ],
  scores: [
    {
      id: 'congestion',
      title: { da: 'Tegn på væskeophobning (0-5)', sv: 'Tecken på vätskeansamling (0-5)', en: 'Signs of congestion (0-5)' },
      terms: [
        { when: { linkId: 'ankle-swelling', equals: true }, points: 1 },
        { when: { linkId: 'orthopnoea', equals: true }, points: 1 },
        { when: { linkId: 'night-breathless', equals: true }, points: 1 },
        { when: { linkId: 'weight-gain', equals: true }, points: 1 },
        { when: { linkId: 'breathless-when', in: ['light-activity', 'rest'] }, points: 1 },
      ],
      source: `${ESC}: symptoms and signs of congestion`,
    },
  ],
  rules: [
    {
      ruleId: 'breathless-at-rest',
      when: { all: [{ linkId: 'breathless-when', equals: 'rest' }] },
      severity: 'urgent',
      summary: 'Heart failure: breathless at rest',
      source: `${ESC}: breathlessness at rest suggests acute decompensation, which needs assessment the same day`,
    },
    {
      ruleId: 'weight-gain-reported',
      when: { all: [{ linkId: 'weight-gain', equals: true }] },
      severity: 'high',
      summary: 'Heart failure: resident reports more than 2 kg weight gain in 3 days',
      source: ESC_SELF_CARE,
    },
    {
      ruleId: 'congestion-signs',
      when: { all: [{ score: 'congestion', gte: 2 }] },
      severity: 'high',
      summary: 'Heart failure: two or more symptoms or signs of congestion',
      source: `${ESC}: worsening symptoms and signs of congestion`,
    },
  ],
};

export const SHIPPED_QUESTIONNAIRES: readonly QuestionnaireDefinitionInput[] = [COPD_SYMPTOMS, HEART_FAILURE_SYMPTOMS];

/** Whether this id and version is one the hub ships (and so can never be posted). */
export const isShippedQuestionnaire = (id: string, version: number): boolean => SHIPPED_QUESTIONNAIRES.some((d) => d.id === id && d.version === version);
