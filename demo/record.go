package demo

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The invented record. Everything here is fictional, kind and unremarkable, shaped like what the
// leaflet says a GP record holds: consultations, test results, medicines and letters. Only the
// patient's name comes from the sign-in; the rest is the same for everyone.

// patient is who the record is about.
type patient struct {
	Name, Born, NHSNumber, Address string
}

const (
	practiceName    = "Riverside Demo Surgery"
	practiceAddress = "1 Example Lane, Demotown ZZ99 9ZZ"
	usualGP         = "Dr Amina Okafor"
)

// newPatient invents the patient for a username: "alex.morgan@example.org" → "Alex Morgan".
func newPatient(username string) patient {
	return patient{
		Name:      displayName(username),
		Born:      "14 March 1968",
		NHSNumber: "999 000 0000 (demo)",
		Address:   "12 Willow Court, Demotown ZZ99 1ZZ",
	}
}

// displayName makes a person's name from a username: the part before any "@", split into words
// at anything but letters, digits and apostrophes, each word capitalised, at most four words and
// 40 characters. A username with no usable word gives "Demo Patient".
func displayName(username string) string {
	if i := strings.IndexByte(username, '@'); i > 0 {
		username = username[:i]
	}
	words := strings.FieldsFunc(username, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
	var b strings.Builder
	for i, w := range words {
		if i == 4 {
			break
		}
		r, n := utf8.DecodeRuneInString(w)
		next := string(unicode.ToTitle(r)) + strings.ToLower(w[n:])
		if utf8.RuneCountInString(b.String())+1+utf8.RuneCountInString(next) > 40 {
			break
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(next)
	}
	if b.Len() == 0 {
		return "Demo Patient"
	}
	return b.String()
}

// consultation is one contact with the practice.
type consultation struct {
	Date, Clinician, Kind, Reason string
	Notes                         []string
}

var consultations = []consultation{
	{"14 October 2026", "Sam Patel, Practice Nurse", "At the surgery", "Flu vaccination",
		[]string{"Seasonal flu vaccine given in the left arm.", "No problems afterwards. Next one due in autumn 2027."}},
	{"22 September 2026", usualGP, "Telephone", "Health check results",
		[]string{"Went through the blood test results together: all in the normal range.", "Home blood pressure readings are healthy (average 124/78).", "Keep up the daily walks. No further tests needed this year."}},
	{"8 September 2026", "Sam Patel, Practice Nurse", "At the surgery", "NHS Health Check",
		[]string{"Height 172 cm, weight 74 kg. Blood pressure 128/80.", "Blood taken for cholesterol, blood sugar (HbA1c), kidney function and a full blood count.", "Non-smoker. Walks most days. Given a home blood pressure monitor to use for a week."}},
	{"3 June 2026", "Joe Lindqvist, Clinical Pharmacist", "Telephone", "Medication review",
		[]string{"Cetirizine is helping with hay fever, no side effects. Carry on taking it when needed.", "Ibuprofen gel finished and not needed now."}},
	{"15 April 2026", usualGP, "At the surgery", "Twisted right ankle",
		[]string{"Went over on the ankle on a walk two days ago. Walking on it.", "Some swelling on the outer side; no tenderness over the bones, so no X-ray needed.", "Rest, ice, support and keep the foot raised. Ibuprofen gel. Referred to community physiotherapy."}},
	{"20 March 2026", usualGP, "Online consultation", "Hay fever",
		[]string{"Itchy eyes and sneezing in spring, as in past years.", "Cetirizine 10 mg once a day when needed, added to repeat medicines."}},
	{"10 March 2026", "Sam Patel, Practice Nurse", "At the surgery", "Ears checked",
		[]string{"Ear wax has cleared with the drops.", "Hearing still feels a little dull on the left, so referred for a routine hearing test."}},
	{"23 February 2026", usualGP, "At the surgery", "Blocked ears",
		[]string{"Both ears feel blocked. Wax seen in both ear canals; ear drums look healthy.", "Olive oil drops twice a day for two weeks, then see the practice nurse."}},
}

// resultSet is one set of tests taken together.
type resultSet struct {
	Name, Taken, Reported, Reviewer, Comment string
	Results                                  []result
}

// result is one test in a set, with the range it is compared with.
type result struct {
	Test, Value, Unit, Range, Status string
}

var results = []resultSet{
	{"Home blood pressure readings (7-day average)", "20 September 2026", "22 September 2026", usualGP, "Normal — no action needed",
		[]result{
			{"Systolic (top number)", "124", "mmHg", "below 135", "Normal"},
			{"Diastolic (bottom number)", "78", "mmHg", "below 85", "Normal"},
		}},
	{"Blood tests — NHS Health Check", "8 September 2026", "10 September 2026", usualGP, "Normal — no action needed",
		[]result{
			{"Haemoglobin", "141", "g/L", "115 to 165", "Normal"},
			{"White blood cells", "6.1", "× 10⁹/L", "4.0 to 11.0", "Normal"},
			{"Platelets", "262", "× 10⁹/L", "150 to 400", "Normal"},
			{"Sodium", "140", "mmol/L", "133 to 146", "Normal"},
			{"Potassium", "4.4", "mmol/L", "3.5 to 5.3", "Normal"},
			{"Kidney function (eGFR)", "over 90", "mL/min/1.73m²", "over 60", "Normal"},
			{"Total cholesterol", "4.6", "mmol/L", "below 5.0", "Normal"},
			{"HDL (\u201cgood\u201d) cholesterol", "1.5", "mmol/L", "above 1.0", "Normal"},
			{"HbA1c (blood sugar)", "37", "mmol/mol", "below 42", "Normal"},
		}},
}

// medicine is one prescribed item.
type medicine struct {
	Name, Directions, Kind, Issued, Status string
}

var medicines = []medicine{
	{"Cetirizine 10 mg tablets", "Take one tablet once a day when needed for hay fever", "Repeat", "3 June 2026 (30 tablets)", "Current"},
	{"Ibuprofen 5% gel", "Rub a little into the ankle up to three times a day", "One-off", "15 April 2026 (50 g)", "Finished"},
	{"Olive oil ear drops", "Two or three drops in each ear twice a day for two weeks", "One-off", "23 February 2026 (10 mL)", "Finished"},
}

// letter is a letter in the record. ToPatient letters greet the patient by name; the others are
// to the GP and say whom they are about.
type letter struct {
	Date, From, Subject, Greeting string
	ToPatient                     bool
	Paragraphs                    []string
	Signature                     []string
}

var letters = []letter{
	{"15 September 2026", practiceName, "Your flu vaccination", "", true,
		[]string{"You can have a free flu vaccination at the surgery this autumn.", "Book at reception, by phone or online. Clinics run on Saturday mornings in October.", "If you have already had your vaccination elsewhere, please let us know so we can update your record."},
		[]string{"Sam Patel", "Practice Nurse"}},
	{"18 August 2026", practiceName, "Invitation to your free NHS Health Check", "", true,
		[]string{"We are inviting you to a free NHS Health Check. It takes about 30 minutes with the practice nurse.", "We will check your blood pressure, height and weight, and take a small blood sample. It is a chance to talk about staying well.", "Please book an appointment at a time that suits you."},
		[]string{usualGP, "GP, " + practiceName}},
	{"22 May 2026", "Riverside Community Physiotherapy", "Discharge: right ankle sprain", "Dear Dr Okafor", false,
		[]string{"Thank you for referring your patient, whom I saw for three sessions.", "The ankle has recovered well: full movement, good balance, and walks of 5 km without pain.", "I have discharged them with home exercises to keep the ankle strong. They are welcome to refer themselves again if needed."},
		[]string{"Priya Shah", "Physiotherapist"}},
	{"28 April 2026", "Demotown General Hospital, Audiology", "Hearing assessment", "Dear Dr Okafor", false,
		[]string{"I saw your patient in clinic on 16 April 2026 for a routine hearing test.", "Hearing is within the normal range in both ears, and the ear drums move normally.", "No follow-up is needed. A copy of this letter goes to the patient."},
		[]string{"Chris Evans", "Clinical Scientist (Audiology)"}},
}

// problem is an entry in the record's problem list.
type problem struct {
	Name, Since, Status string
}

var problems = []problem{
	{"Hay fever", "Many years", "Ongoing, seasonal"},
	{"Sprained right ankle", "April 2026", "Resolved"},
	{"Ear wax", "February 2026", "Resolved"},
}
