package i18n

func init() { add(RO, roExplain) }

// roExplain is the Romanian text of `mailsetup explain` (see ExplainTopics).
// Romanian uses ș and ț with a comma below, never the cedilla forms.
var roExplain = map[string]string{
	"explain.list.header": "Subiecte:",
	"explain.list.hint":   "Rulați „mailsetup explain SUBIECT” pentru a citi unul, de exemplu „mailsetup explain smtp”.",

	"explain.imap-vs-pop3.title": "IMAP sau POP3: mesajele rămân pe server sau sunt descărcate",
	"explain.imap-vs-pop3.short": "IMAP (Internet Message Access Protocol) păstrează mesajele pe server și arată aceeași căsuță poștală pe toate dispozitivele. POP3 (Post Office Protocol 3) descarcă mesajele pe un singur dispozitiv și de obicei le șterge de pe server, așa că alegeți-l doar dacă citiți e-mailul pe un singur dispozitiv.",
	"explain.imap-vs-pop3.long": `IMAP (Internet Message Access Protocol) și POP3 (Post Office Protocol 3) sunt două moduri prin care o aplicație de e-mail primește mesajele. Trimiterea este un lucru separat, de care se ocupă SMTP.

IMAP păstrează mesajele și dosarele pe serverul de e-mail. Telefonul, laptopul și webmailul arată aceeași căsuță poștală: starea fiecărui mesaj (citit, șters, marcat cu stea) se sincronizează între dispozitive, așa că un mesaj pe care îl citiți, îl mutați, îl ștergeți sau îl marcați pe un dispozitiv apare citit, mutat, șters sau marcat pe toate, iar mesajele trimise se salvează tot pe server. Pentru că totul rămâne pe server, acolo este nevoie de spațiu: când căsuța poștală este plină, mesajele noi pot fi respinse.

POP3 descarcă mesajele noi pe un singur dispozitiv. Majoritatea aplicațiilor le șterg apoi de pe server, așa că celelalte dispozitive nu le mai văd, iar dacă dispozitivul se strică sau se pierde, mesajele dispar, în afară de cazul în care ați făcut o copie de siguranță. Aplicațiile pot fi setate să „lase mesajele pe server”, dar nici atunci dosarele, starea citit/necitit și mesajele trimise nu se sincronizează între dispozitive.

Ce să alegeți:
- IMAP, pentru aproape oricine, și întotdeauna când căsuța poștală este folosită pe mai multe dispozitive (de exemplu un telefon și un calculator).
- POP3, doar pentru o căsuță poștală citită pe un singur dispozitiv, când serverul are puțin spațiu sau când furnizorul nu oferă altceva.`,

	"explain.smtp.title": "SMTP: cum se trimit mesajele",
	"explain.smtp.short": "SMTP este ceea ce folosește aplicația de e-mail pentru a trimite mesaje; prin el nu se primește nimic. Fiecare cont are nevoie de setări pentru serverul de ieșire (SMTP), pe lângă cele pentru serverul de intrare (IMAP sau POP3).",
	"explain.smtp.long": `SMTP (Simple Mail Transfer Protocol) doar trimite e-mailuri. Când apăsați Trimite, aplicația de e-mail predă mesajul serverului de ieșire (SMTP) al furnizorului, care îl livrează serverului de e-mail al destinatarului. Primirea se face prin IMAP sau POP3, așa că fiecare cont are nevoie de două seturi de setări: de intrare (IMAP sau POP3) și de ieșire (SMTP).

Serverul de ieșire vă cere să vă autentificați înainte de a trimite ceva, ca persoanele străine să nu îl poată folosi pentru spam. De obicei acceptă același nume de utilizator și aceeași parolă ca serverul de intrare. În unele aplicații, aceasta este o casetă numită „Serverul meu de ieșire necesită autentificare”: bifați-o.

Folosiți serverul de ieșire al furnizorului care vă oferă adresa de e-mail. Mesajele trimise printr-un alt server, de exemplu cel al furnizorului de internet, sunt adesea marcate ca spam sau respinse.

Dacă puteți primi mesaje, dar nu le puteți trimite, verificați setările de ieșire: numele serverului, portul 465 cu SSL/TLS sau 587 cu STARTTLS și autentificarea. Portul 25 este pentru serverele care își transmit mesaje între ele și este adesea blocat pe conexiunile de acasă și de la birou.`,

	"explain.security.title": "Securitatea conexiunii: SSL/TLS, STARTTLS sau niciuna (fără criptare)",
	"explain.security.short": "SSL/TLS criptează conexiunea încă de la început și este cea mai bună alegere. STARTTLS se conectează necriptat și pornește criptarea înainte să fie trimisă parola; „niciuna (fără criptare)” trimite parola și mesajele în clar, iar oricine din rețea le poate citi.",
	"explain.security.long": `Securitatea conexiunii stabilește dacă legătura dintre aplicația de e-mail și server este criptată, astfel încât nimeni din aceeași rețea (Wi-Fi-ul unei cafenele, de exemplu) să nu vă poată citi parola sau mesajele. Există trei variante.

SSL/TLS (numit și „implicit TLS”): conexiunea este criptată din primul moment. Este varianta cea mai sigură, iar standardul actual, RFC 8314, o recomandă pentru aplicațiile de e-mail: portul 993 pentru IMAP, 995 pentru POP3 și 465 pentru trimitere. „SSL” este denumirea veche; astăzi criptarea este TLS, dar multe aplicații o numesc încă „SSL/TLS” sau doar „SSL”.

STARTTLS: aplicația se conectează fără criptare, apoi cere serverului să pornească criptarea înainte de a trimite ceva confidențial. Se folosește pe portul 143 pentru IMAP, 110 pentru POP3 și 587 pentru trimitere. Este sigur atâta timp cât aplicația refuză să continue când criptarea nu poate fi pornită; dacă serverul le oferă pe amândouă, preferați SSL/TLS.

Niciuna (fără criptare): nimic nu este criptat, iar parola și mesajele circulă în clar. Folosiți această variantă doar pentru teste, într-o rețea de încredere; mailsetup vă cere să o confirmați de două ori.

Setarea de securitate trebuie să se potrivească cu portul: SSL/TLS pe portul 143 sau STARTTLS pe portul 993 nu funcționează, iar aplicația de obicei doar așteaptă și apoi raportează că timpul de conectare a expirat. Dacă aplicația avertizează că certificatul serverului nu este valid, nu îl acceptați pur și simplu: verificați mai întâi numele serverului, pentru că un nume greșit este cauza obișnuită.`,

	"explain.ports.title": "Porturi: ce număr se potrivește cu fiecare setare",
	"explain.ports.short": "Folosiți 993 pentru IMAP, 995 pentru POP3 și 465 pentru trimitere, toate cu SSL/TLS. Porturile 143, 110 și 587 sunt aceleași servicii cu STARTTLS; portul 25 este pentru servere, nu pentru aplicațiile de e-mail.",
	"explain.ports.long": `Un port este un număr care îi spune aplicației la ce „ușă” a serverului să bată. Fiecare serviciu de e-mail are porturile lui, iar fiecare port merge cu un anumit tip de securitate:
- 993: IMAP cu SSL/TLS (recomandat)
- 143: IMAP cu STARTTLS
- 995: POP3 cu SSL/TLS (recomandat)
- 110: POP3 cu STARTTLS
- 465: SMTP (trimitere) cu SSL/TLS (recomandat)
- 587: SMTP (trimitere) cu STARTTLS
- 25: SMTP între serverele de e-mail; aplicațiile de e-mail nu ar trebui să îl folosească, iar multe rețele îl blochează

Standardul actual, RFC 8314, recomandă porturile SSL/TLS 993, 995 și 465, pentru că acolo conexiunea este criptată încă de la început.

Dacă portul și setarea de securitate nu se potrivesc, de exemplu SSL/TLS pe portul 143, conexiunea eșuează sau se blochează. Dacă o rețea (la hotel sau la birou, de exemplu) blochează un port, încercați celălalt port al aceluiași serviciu, cu securitatea potrivită: de exemplu 587 cu STARTTLS în loc de 465 cu SSL/TLS.`,

	"explain.app-passwords.title": "Parole de aplicație: o parolă separată pentru aplicația de e-mail",
	"explain.app-passwords.short": "O parolă de aplicație este o parolă generată de furnizor pentru o singură aplicație de e-mail, pe care o folosiți acolo în locul parolei obișnuite. Gmail, iCloud și Yahoo o cer pentru aplicațiile care nu se pot autentifica prin pagina proprie a furnizorului (OAuth2).",
	"explain.app-passwords.long": `O parolă de aplicație este o parolă lungă, aleatorie, pe care furnizorul o generează pentru dumneavoastră, ca s-o introduceți într-o aplicație de e-mail în locul parolei obișnuite. Este necesară când contul folosește verificarea în doi pași (de exemplu un cod primit pe telefon): o aplicație care se autentifică doar cu parola nu are cum să ceară acel cod, așa că furnizorul îi dă o parolă proprie.

Când aveți nevoie de una:
- Gmail: când verificarea în doi pași este activată și aplicația nu se poate autentifica prin Google (OAuth2). Creați-o în Contul Google (myaccount.google.com): căutați „Parole pentru aplicații”.
- iCloud: orice aplicație de e-mail în afară de cele ale Apple are nevoie de una. Creați-o pe account.apple.com, la „Conectare și securitate”, „Parole specifice aplicațiilor”.
- Yahoo: pentru aplicațiile care nu se pot autentifica prin Yahoo. Creați-o la „Securitatea contului”, în setările contului Yahoo.
- Outlook.com și Microsoft 365: parolele de aplicație mai funcționează doar în câteva configurații vechi; aceste conturi cer acum autentificarea prin pagina Microsoft (OAuth2).

Bine de știut:
- Copiați parola de aplicație exact; de obicei o vedeți o singură dată. Google o afișează în grupuri de câte patru litere; spațiile nu contează.
- Folosiți parola de aplicație doar în aplicația de e-mail. Pe site-ul furnizorului vă autentificați în continuare cu parola obișnuită.
- Dacă pierdeți un dispozitiv, ștergeți parola lui de aplicație din setările contului; parola principală rămâne aceeași.
- Schimbarea parolei principale poate anula parolele de aplicație (Google face asta). Atunci creați una nouă.`,

	"explain.oauth2.title": "OAuth2: autentificarea prin pagina furnizorului",
	"explain.oauth2.short": "Cu OAuth2, aplicația de e-mail deschide pagina de autentificare a furnizorului, iar dumneavoastră vă autentificați acolo, fără să introduceți parola în aplicație. Aplicația trebuie să accepte OAuth2; Outlook.com și Microsoft 365 îl cer obligatoriu.",
	"explain.oauth2.long": `OAuth2 este un mod de autentificare în care nu îi dați parola aplicației de e-mail. Când adăugați contul, aplicația deschide pagina de autentificare a furnizorului (Google, Microsoft, Yahoo și așa mai departe). Vă autentificați acolo, cu verificarea în doi pași dacă este activată, și permiteți aplicației să vă citească și să vă trimită e-mailurile. Furnizorul îi dă apoi aplicației o cheie pentru căsuța poștală; parola nu trece niciodată prin aplicație.

De ce aveți nevoie:
- O aplicație de e-mail care acceptă OAuth2 pentru furnizorul dumneavoastră. Thunderbird, Apple Mail, Outlook și aplicațiile de e-mail de pe majoritatea telefoanelor îl acceptă pentru conturile Gmail și Microsoft.
- Când adăugați contul, alegeți furnizorul după nume (Google, Microsoft, Outlook.com) în loc de „Altul” sau de setările manuale; altfel aplicația poate cere o parolă.

Cine îl cere:
- Outlook.com (inclusiv adresele Hotmail și Live) și conturile Microsoft 365 de serviciu sau de școală: o parolă simplă nu mai funcționează în aplicațiile de e-mail, așa că aplicația trebuie să accepte OAuth2. La un cont de serviciu, s-ar putea ca administratorul IT să fie nevoit să permită mai întâi aplicația.
- Gmail: OAuth2 este varianta recomandată; alternativa este o parolă de aplicație.

Dacă aplicația arată doar un câmp pentru parolă, iar furnizorul cere OAuth2, aplicația nu poate fi folosită pentru acest cont: actualizați-o sau alegeți altă aplicație. Din când în când, furnizorul vă cere să vă autentificați din nou, de exemplu după ce v-ați schimbat parola; atunci aplicația afișează din nou pagina de autentificare.`,
}
