package i18n

func init() { add(LT, ltExplain) }

// ltExplain is the Lithuanian text of `mailsetup explain` (see ExplainTopics).
var ltExplain = map[string]string{
	"explain.list.header": "Temos:",
	"explain.list.hint":   "Paleiskite „mailsetup explain TEMA“, kad perskaitytumėte vieną iš jų, pavyzdžiui, „mailsetup explain smtp“.",

	"explain.imap-vs-pop3.title": "IMAP ar POP3: laiškus laikyti serveryje ar atsisiųsti",
	"explain.imap-vs-pop3.short": "IMAP (Internet Message Access Protocol) laiškus laiko serveryje ir visuose įrenginiuose rodo tą pačią pašto dėžutę. POP3 (Post Office Protocol 3) atsisiunčia laiškus į vieną įrenginį ir dažniausiai ištrina juos iš serverio, todėl rinkitės jį tik tada, kai paštą skaitote viename įrenginyje.",
	"explain.imap-vs-pop3.long": `IMAP (Internet Message Access Protocol) ir POP3 (Post Office Protocol 3) – du būdai, kuriais el. pašto programa gauna jūsų laiškus. Siuntimas – atskiras dalykas, juo rūpinasi SMTP.

IMAP laiškus ir aplankus laiko pašto serveryje. Telefonas, nešiojamasis kompiuteris ir žiniatinklio paštas rodo tą pačią pašto dėžutę: kiekvieno laiško būsena (perskaitytas, ištrintas, pažymėtas žvaigždute) sinchronizuojama tarp įrenginių, todėl laiškas, kurį perskaitote, perkeliate, ištrinate ar pažymite viename įrenginyje, tampa perskaitytas, perkeltas, ištrintas ar pažymėtas visuose, o išsiųsti laiškai taip pat išsaugomi serveryje. Kadangi viskas lieka serveryje, ten reikia vietos: kai pašto dėžutė pilna, nauji laiškai gali būti atmesti.

POP3 atsisiunčia naujus laiškus į vieną įrenginį. Dauguma programų po to ištrina juos iš serverio, todėl kiti įrenginiai jų nebemato, o jei tas įrenginys sugenda ar pametamas, laiškai dingsta, nebent buvo padaryta atsarginė kopija. Programoje galima nustatyti „palikti laiškus serveryje“, bet ir tada aplankai, perskaitymo būsena ir išsiųsti laiškai tarp įrenginių nesinchronizuojami.

Ką pasirinkti:
- IMAP – beveik visiems ir visada, kai pašto dėžutė naudojama keliuose įrenginiuose (pavyzdžiui, telefone ir kompiuteryje).
- POP3 – tik pašto dėžutei, kuri skaitoma viename įrenginyje, kai serveryje mažai vietos arba kai paslaugų teikėjas nieko kito nesiūlo.`,

	"explain.smtp.title": "SMTP: kaip išsiunčiami laiškai",
	"explain.smtp.short": "SMTP el. pašto programa naudoja tik laiškams siųsti, o ne gauti. Kiekvienai paskyrai reikia ir siunčiamųjų laiškų serverio (SMTP), ir gaunamųjų laiškų serverio (IMAP arba POP3) nustatymų.",
	"explain.smtp.long": `SMTP (Simple Mail Transfer Protocol) skirtas tik laiškams siųsti. Kai paspaudžiate „Siųsti“, el. pašto programa perduoda laišką jūsų paslaugų teikėjo siunčiamųjų laiškų (SMTP) serveriui, o šis pristato jį gavėjo pašto serveriui. Laiškai gaunami per IMAP arba POP3, todėl kiekvienai paskyrai reikia dviejų nustatymų rinkinių: gaunamųjų (IMAP arba POP3) ir siunčiamųjų (SMTP).

Prieš ką nors išsiųsdamas, siunčiamųjų laiškų serveris paprašo prisijungti, kad pašaliniai asmenys negalėtų juo siuntinėti šlamšto. Paprastai tinka tas pats naudotojo vardas ir slaptažodis kaip ir gaunamųjų laiškų serveriui. Kai kuriose programose tam skirtas žymimasis langelis „Mano siunčiamųjų laiškų serveriui reikalingas autentifikavimas“: pažymėkite jį.

Naudokite siunčiamųjų laiškų serverį to paslaugų teikėjo, kuris jums suteikė el. pašto adresą. Per kitą serverį, pavyzdžiui, interneto tiekėjo, išsiųsti laiškai dažnai pažymimi kaip šlamštas arba atmetami.

Jei laiškus gauti galite, o išsiųsti – ne, patikrinkite siunčiamųjų laiškų nustatymus: serverio vardą, prievadą 465 su SSL/TLS arba 587 su STARTTLS ir prisijungimą. Prievadas 25 skirtas serveriams, kurie perduoda laiškus vieni kitiems, ir namų bei biurų tinkluose jis dažnai užblokuotas.`,

	"explain.security.title": "Ryšio sauga: SSL/TLS, STARTTLS arba be šifravimo",
	"explain.security.short": "SSL/TLS šifruoja ryšį nuo pat pradžių ir yra geriausias pasirinkimas. STARTTLS prisijungia nešifruotai ir įjungia šifravimą prieš išsiunčiant slaptažodį; pasirinkus „be šifravimo“, slaptažodis ir laiškai siunčiami atviru tekstu ir juos gali perskaityti bet kas tame pačiame tinkle.",
	"explain.security.long": `Ryšio sauga lemia, ar ryšys tarp jūsų el. pašto programos ir serverio šifruojamas, kad niekas tame pačiame tinkle (pavyzdžiui, kavinės „Wi-Fi“) negalėtų perskaityti jūsų slaptažodžio ar laiškų. Yra trys galimybės.

SSL/TLS (dar vadinamas „implicit TLS“): ryšys šifruojamas nuo pat pirmos akimirkos. Tai saugiausias pasirinkimas, ir dabartinis standartas RFC 8314 jį rekomenduoja el. pašto programoms: IMAP – prievadas 993, POP3 – 995, siuntimui – 465. „SSL“ – senas pavadinimas; šiandien šifruojama naudojant TLS, bet daugelis programų vis dar rašo „SSL/TLS“ arba tiesiog „SSL“.

STARTTLS: programa prisijungia be šifravimo, o tada, prieš siųsdama ką nors konfidencialaus, paprašo serverio įjungti šifravimą. Jis naudojamas IMAP per prievadą 143, POP3 – per 110, siuntimui – per 587. Jis saugus, jei programa atsisako tęsti, kai šifravimo įjungti nepavyksta; jei serveris siūlo abu būdus, rinkitės SSL/TLS.

Be šifravimo: niekas nešifruojama, o slaptažodis ir laiškai keliauja atviru tekstu. Naudokite tai tik bandymams patikimame tinkle; mailsetup paprašys tai patvirtinti du kartus.

Saugos nustatymas turi atitikti prievadą: SSL/TLS per prievadą 143 arba STARTTLS per prievadą 993 neveikia, o programa dažniausiai tiesiog laukia ir galiausiai praneša, kad baigėsi laukimo laikas. Jei programa įspėja, kad serverio sertifikatas negalioja, nepriimkite jo aklai: pirmiausia patikrinkite serverio vardą, nes dažniausia priežastis – klaidingas vardas.`,

	"explain.ports.title": "Prievadai: kuris numeris tinka kuriam nustatymui",
	"explain.ports.short": "IMAP naudokite prievadą 993, POP3 – 995, o siuntimui – 465, visus su SSL/TLS. Prievadai 143, 110 ir 587 – tos pačios paslaugos su STARTTLS; prievadas 25 skirtas serveriams, o ne el. pašto programoms.",
	"explain.ports.long": `Prievadas – tai numeris, nurodantis programai, į kurias serverio „duris“ belstis. Kiekviena el. pašto paslauga turi savo prievadus, o kiekvienam prievadui tinka viena saugos rūšis:
- 993: IMAP su SSL/TLS (rekomenduojama)
- 143: IMAP su STARTTLS
- 995: POP3 su SSL/TLS (rekomenduojama)
- 110: POP3 su STARTTLS
- 465: SMTP (siuntimas) su SSL/TLS (rekomenduojama)
- 587: SMTP (siuntimas) su STARTTLS
- 25: SMTP tarp pašto serverių; el. pašto programos jo neturėtų naudoti, o daugelis tinklų jį blokuoja

Dabartinis standartas RFC 8314 rekomenduoja SSL/TLS prievadus 993, 995 ir 465, nes ryšys šifruojamas nuo pat pradžių.

Jei prievadas ir saugos nustatymas nesutampa, pavyzdžiui, SSL/TLS per prievadą 143, prisijungti nepavyksta arba programa pakimba. Jei tinklas (pavyzdžiui, viešbučio ar biuro) blokuoja vieną prievadą, bandykite kitą tos pačios paslaugos prievadą su jam tinkama sauga: pavyzdžiui, 587 su STARTTLS vietoj 465 su SSL/TLS.`,

	"explain.app-passwords.title": "Programų slaptažodžiai: atskiras slaptažodis el. pašto programai",
	"explain.app-passwords.short": "Programos slaptažodis – tai slaptažodis, kurį paslaugų teikėjas sugeneruoja vienai el. pašto programai ir kurį joje naudojate vietoj įprasto slaptažodžio. Gmail, iCloud ir Yahoo jo reikalauja programoms, kurios negali prisijungti per paties teikėjo puslapį (OAuth2).",
	"explain.app-passwords.long": `Programos slaptažodis – tai ilgas atsitiktinis slaptažodis, kurį paslaugų teikėjas sugeneruoja, kad įvestumėte jį el. pašto programoje vietoj įprasto slaptažodžio. Jo reikia, kai paskyroje įjungtas patvirtinimas dviem veiksmais (pavyzdžiui, kodas telefone): programa, kuri prisijungia tik slaptažodžiu, negali paprašyti to kodo, todėl teikėjas duoda jai atskirą slaptažodį.

Kur jo reikia:
- Gmail: kai įjungtas patvirtinimas dviem veiksmais, o programa negali prisijungti per Google (OAuth2). Sukurkite jį savo Google paskyroje (myaccount.google.com): ieškokite „Programų slaptažodžiai“.
- iCloud: jo reikia kiekvienai el. pašto programai, išskyrus pačios Apple programas. Sukurkite jį svetainėje account.apple.com, skiltyje „Prisijungimas ir sauga“, „Programoms skirti slaptažodžiai“.
- Yahoo: programoms, kurios negali prisijungti per Yahoo. Sukurkite jį Yahoo paskyros nustatymų skiltyje „Paskyros sauga“.
- Outlook.com ir Microsoft 365: programų slaptažodžiai veikia tik kai kuriose senesnėse sąrankose; šios paskyros dabar reikalauja prisijungti per Microsoft puslapį (OAuth2).

Verta žinoti:
- Nukopijuokite programos slaptažodį tiksliai; dažniausiai jis parodomas tik vieną kartą. Google jį rodo keturių raidžių grupėmis; tarpai nesvarbūs.
- Programos slaptažodį naudokite tik el. pašto programoje. Teikėjo svetainėje ir toliau prisijungiate įprastu slaptažodžiu.
- Jei pametėte įrenginį, ištrinkite jo programos slaptažodį paskyros nustatymuose; pagrindinis slaptažodis lieka tas pats.
- Pakeitus pagrindinį slaptažodį, programų slaptažodžiai gali nustoti galioti (Google taip daro). Tada sukurkite naują.`,

	"explain.oauth2.title": "OAuth2: prisijungimas per paslaugų teikėjo puslapį",
	"explain.oauth2.short": "Naudojant OAuth2, el. pašto programa atveria jūsų paslaugų teikėjo prisijungimo puslapį ir jūs prisijungiate ten, o ne įvedate slaptažodį programoje. Programa turi palaikyti OAuth2; Outlook.com ir Microsoft 365 jo reikalauja.",
	"explain.oauth2.long": `OAuth2 – tai prisijungimo būdas, kai savo slaptažodžio el. pašto programai neduodate. Kai pridedate paskyrą, programa atveria jūsų paslaugų teikėjo (Google, Microsoft, Yahoo ir kt.) prisijungimo puslapį. Prisijungiate ten (jei įjungtas patvirtinimas dviem veiksmais – ir juo) ir leidžiate programai skaityti ir siųsti jūsų laiškus. Tada teikėjas duoda programai raktą į jūsų pašto dėžutę; jūsų slaptažodis per programą niekada nekeliauja.

Ko reikia:
- El. pašto programos, kuri palaiko OAuth2 su jūsų paslaugų teikėju. Thunderbird, Apple Mail, Outlook ir daugumos telefonų el. pašto programos jį palaiko Gmail ir Microsoft paskyroms.
- Pridėdami paskyrą, pasirinkite teikėją pagal pavadinimą (Google, Microsoft, Outlook.com), o ne „Kita“ ar rankinius nustatymus; kitaip programa gali paprašyti slaptažodžio.

Kas jo reikalauja:
- Outlook.com (taip pat Hotmail ir Live adresai) ir Microsoft 365 darbo ar mokymo įstaigų paskyros: paprastas slaptažodis el. pašto programose nebeveikia, todėl programa turi palaikyti OAuth2. Darbo paskyroje gali reikėti, kad IT administratorius pirmiausia leistų naudoti programą.
- Gmail: OAuth2 – rekomenduojamas būdas; alternatyva – programos slaptažodis.

Jei programa rodo tik slaptažodžio laukelį, o jūsų teikėjas reikalauja OAuth2, tos programos šiai paskyrai naudoti negalima: atnaujinkite ją arba pasirinkite kitą programą. Kartais teikėjas paprašo prisijungti iš naujo, pavyzdžiui, pakeitus slaptažodį; tada programa vėl parodo prisijungimo puslapį.`,
}
