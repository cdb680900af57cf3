/** Complete, valid answers for the newest shipped versions of the forms, as a citizen would send them. */
export const LSI_PROFESSIONAL = {
  reporterType: 'professional',
  professionalName: 'Liisa Lehtonen',
  profession: 'Luokanopettaja',
  organisation: 'Keskustan koulu',
  professionalPhone: '+358501112233',
  professionalEmail: 'liisa.lehtonen@example.fi',
  childName: 'Niko Mäkinen',
  childBirthDate: '2015-03-15',
  childPersonalIdentityCode: '150315A123X',
  childAddress: 'Koulukatu 1 A 2',
  childPostalCode: '00100',
  childMunicipality: '091',
  childSchoolOrDaycare: 'Keskustan koulu',
  guardians: [{ guardianName: 'Sanna Mäkinen', guardianPhone: '0401234567' }],
  concernAreas: ['violence', 'schoolAttendance'],
  policeNotified: 'yes',
  concernDescription: 'Lapsella on ollut mustelmia käsivarsissa kahdesti tällä viikolla, eikä hän halua mennä kotiin.',
  immediateDanger: true,
  madeWithFamily: false,
};

export const LSI_ANONYMOUS = {
  reporterType: 'private',
  anonymous: true,
  childAddress: 'Koivukuja 3 B 12',
  concernDescription: 'Naapurin lapset ovat usein iltaisin yksin kotona ja itkevät.',
  immediateDanger: false,
  madeWithFamily: false,
};

export const LASTENVALVOJA = {
  fillerName: 'Maria Nieminen',
  fillerPhone: '+358401234567',
  fillerEmail: 'maria.nieminen@example.fi',
  nonDisclosure: 'no',
  otherParentName: 'Jussi Nieminen',
  otherParentPhone: '0407654321',
  children: [
    { childName: 'Ella Nieminen', childBirthDate: '2016-04-12' },
    { childName: 'Oskari Nieminen', childBirthDate: '2019-11-02' },
  ],
  agreementTopics: ['residence', 'visitingRights', 'maintenance'],
  agreedAlready: 'partly',
  residenceNow: 'alternating',
  residenceDetails: 'Vuoroviikot jatkuvat.',
  visitingDetails: 'Lomat puoliksi.',
  maintenanceCurrent: 'Ei elatusapua tällä hetkellä.',
  interpreterNeeded: false,
  anythingElse: 'Iltapäivät sopivat parhaiten.',
};

export const KOULUTERVEYS = {
  pupilName: 'Åsa Öhman',
  grade: '8',
  filledBy: 'guardianWithChild',
  wellbeing: 'fairlyGood',
  friends: 'several',
  freeTime: 'Jalkapallo ja piirtäminen',
  healthInfo: 'Siitepölyallergia, käyttää keväällä antihistamiinia.',
  sleepHours: 8,
  sleepProblems: true,
  sleepProblemsDescription: 'Nukahtaa myöhään, väsynyt aamuisin.',
  meals: ['breakfast', 'dinner', 'eveningSnack'],
  schoolLunch: 'sometimes',
  specialDiet: 'Laktoositon',
  schoolGoing: 'mostlyWell',
  bullying: 'no',
  puberty: 'yes',
  substances: ['none'],
  worries: 'Ruutuaika venyy iltaisin.',
  discussTopics: ['sleep', 'screenTime'],
  discussMore: 'Liikuntasuositukset',
};

export const PYYDA_APUA = {
  topic: 'parenting',
  contactMethod: 'phone',
  contactPhone: '040 123 4567',
  contactName: 'Minna',
  safeContactNotes: 'Arkisin klo 9–15',
  message: 'Lapsen uhmaikä väsyttää, ja tarvitsisin vinkkejä arkeen.',
  municipality: '837',
  contactLanguage: 'fi',
};

/** A different name for each number, in letters (a name holds no digits): 0 → "A", 27 → "Bb". */
export function nameOf(n: number): string {
  const letters = [...n.toString(26)].map((digit) => String.fromCharCode(97 + parseInt(digit, 26))).join('');
  return letters[0].toUpperCase() + letters.slice(1);
}
