package i18n

import (
	"sort"
	"strings"
	"testing"
)

// replacedTerms are the variants the glossary (GLOSSARY.md) replaced with
// one term per concept. None may appear in any Romanian or Lithuanian
// message; the comparison ignores case.
var replacedTerms = map[Lang][]struct{ variant, use string }{
	RO: {
		{"server de primire", "server de intrare"},
		{"serverul de primire", "serverul de intrare"},
		{"serverele de primire", "serverele de intrare"},
		{"server de trimitere", "server de ieșire"},
		{"serverul de trimitere", "serverul de ieșire"},
		{"serverele de trimitere", "serverele de ieșire"},
		{"server pentru trimitere", "server de ieșire"},
		{"de primire și de trimitere", "de intrare și de ieșire"},
		{"fără (necriptat", "niciuna (fără criptare)"},
		{"tipul de securitate", "securitatea conexiunii"},
		{"căsuță de e-mail", "căsuță poștală"},
		{"căsuța de e-mail", "căsuța poștală"},
		{"căsuței de e-mail", "căsuței poștale"},
		{"verificarea directă", "verificarea conexiunii"},
		{"testul de conectare", "verificarea conexiunii"},
		{"nesigure", "nu este de încredere"},
		{"pagina de conectare", "pagina de autentificare"},
		{"numele de gazdă", "numele serverului"},
	},
	LT: {
		{"saugum", "(ryšio) sauga"},
		{"serverio pavadinim", "serverio vardas"},
		{"serverių pavadinim", "serverių vardai"},
		{"prisijungimo vard", "naudotojo vardas"},
		{"gyvai", "ryšio patikrinimas"},
		{"patikra", "patikrinimas"},
		{"patikros", "patikrinimo"},
		{"patikrą", "patikrinimą"},
		{"„jokios“", "„be šifravimo“"},
		{"nėra (ryšys nešifruojamas)", "be šifravimo"},
		{"per naršyklę", "žiniatinklio paštas"},
		{"be autentifikavimo", "prisijungti nereikia"},
	},
}

// glossaryTerms pins the glossary's terms in the messages where each
// concept is named, so the wizard, explain, findings and discover say the
// same thing.
var glossaryTerms = []struct {
	lang      Lang
	key, want string
}{
	{RO, "wizard.q.servers", "serverele de intrare și de ieșire"},
	{RO, "wizard.incoming", "Intrare"},
	{RO, "wizard.outgoing", "Ieșire"},
	{RO, "wizard.h.host.incoming", "Serverul de intrare"},
	{RO, "wizard.h.host.outgoing", "Serverul de ieșire (SMTP)"},
	{RO, "discover.incoming", "Server de intrare"},
	{RO, "discover.outgoing", "Server de ieșire (SMTP)"},
	{RO, "err.need-servers", "un server de intrare"},
	{RO, "explain.smtp.short", "serverul de ieșire (SMTP)"},
	{RO, "explain.smtp.short", "serverul de intrare (IMAP sau POP3)"},
	{RO, "wizard.o.sec-none", "Niciuna (fără criptare)"},
	{RO, "explain.security.title", "niciuna (fără criptare)"},
	{RO, "explain.security.short", "„niciuna (fără criptare)”"},
	{RO, "probe.security-label.none", "fără criptare"},
	{RO, "discover.security.none", "fără criptare"},
	{RO, "wizard.q.host", "Numele serverului"},
	{RO, "wizard.q.security", "Securitatea conexiunii"},
	{RO, "probe.tls.handshake-failed.fix", "securitatea conexiunii"},
	{RO, "discover.source.verify", "verificarea conexiunii"},
	{RO, "wizard.discovery-unverified", "verificarea conexiunii"},
	{RO, "bulkrow.unverified", "verificarea conexiunii"},
	{RO, "discover.trust.untrusted", "nu este de încredere"},
	{RO, "probe.tls.cert.untrusted.message", "nu este de încredere"},

	{LT, "wizard.q.servers", "gaunamųjų ir siunčiamųjų laiškų serveriai"},
	{LT, "wizard.incoming", "Gaunamieji"},
	{LT, "wizard.outgoing", "Siunčiamieji"},
	{LT, "wizard.h.host.incoming", "Gaunamųjų laiškų serveris"},
	{LT, "wizard.h.host.outgoing", "Siunčiamųjų laiškų serveris (SMTP)"},
	{LT, "discover.incoming", "Gaunamųjų laiškų serveris"},
	{LT, "discover.outgoing", "Siunčiamųjų laiškų serveris (SMTP)"},
	{LT, "err.need-servers", "gaunamųjų laiškų serverį"},
	{LT, "explain.smtp.short", "siunčiamųjų laiškų serverio (SMTP)"},
	{LT, "explain.smtp.short", "gaunamųjų laiškų serverio (IMAP arba POP3)"},
	{LT, "wizard.o.sec-none", "Be šifravimo"},
	{LT, "explain.security.title", "be šifravimo"},
	{LT, "explain.security.short", "„be šifravimo“"},
	{LT, "probe.security-label.none", "be šifravimo"},
	{LT, "discover.security.none", "be šifravimo"},
	{LT, "wizard.q.host", "serverio vardas"},
	{LT, "wizard.q.security", "ryšio sauga"},
	{LT, "probe.tls.handshake-failed.fix", "ryšio saugą"},
	{LT, "discover.source.verify", "ryšio patikrinimas"},
	{LT, "wizard.discovery-unverified", "ryšio patikrinimo"},
	{LT, "bulkrow.unverified", "ryšio patikrinimo"},
	{LT, "discover.trust.untrusted", "nepatikima"},
}

// TestGlossaryTerms fails when a Romanian or Lithuanian message uses a
// variant the glossary replaced (apps' own menu names and values,
// sheet.ui.* and sheet.val.*, are quoted as the app shows them), or when a message naming a concept does
// not use the glossary's term for it.
func TestGlossaryTerms(t *testing.T) {
	keys := Keys()
	sort.Strings(keys)
	for _, l := range []Lang{RO, LT} {
		for _, k := range keys {
			if strings.HasPrefix(k, "sheet.ui.") || strings.HasPrefix(k, "sheet.val.") {
				continue // an app's own menu names and values, as that app words them
			}
			msg := strings.ToLower(catalogs[l][k])
			for _, r := range replacedTerms[l] {
				if strings.Contains(msg, strings.ToLower(r.variant)) {
					t.Errorf("%s %s uses %q; the glossary term is %q: %q", l, k, r.variant, r.use, catalogs[l][k])
				}
			}
			if l == LT {
				// The mail app is "el. pašto programa", never "pašto programa" alone.
				for i, rest := 0, msg; ; {
					j := strings.Index(rest, "pašto program")
					if j < 0 {
						break
					}
					if !strings.HasSuffix(msg[:i+j], "el. ") {
						t.Errorf("lt %s says %q without \"el.\": %q", k, "pašto programa", catalogs[l][k])
						break
					}
					i += j + 1
					rest = msg[i:]
				}
			}
		}
	}
	for _, g := range glossaryTerms {
		if msg, ok := catalogs[g.lang][g.key]; !ok || !strings.Contains(msg, g.want) {
			t.Errorf("%s %s: want the glossary term %q in %q", g.lang, g.key, g.want, msg)
		}
	}
}

// TestGlossaryDetectsVariants checks the checks above on texts that use
// the replaced variants.
func TestGlossaryDetectsVariants(t *testing.T) {
	bad := map[Lang]string{
		RO: "Serverele de primire și de trimitere",
		LT: "Patikrinkite prievadą ir saugumo tipą",
	}
	for l, s := range bad {
		found := false
		for _, r := range replacedTerms[l] {
			found = found || strings.Contains(strings.ToLower(s), strings.ToLower(r.variant))
		}
		if !found {
			t.Errorf("%s: no replaced variant found in %q", l, s)
		}
	}
}

// TestExplainSpellsOutProtocols checks that the first IMAP, POP3 and SMTP
// in the protocol explanations (explain's texts, of which the wizard shows
// imap-vs-pop3.short before asking) is followed by the protocol's name.
func TestExplainSpellsOutProtocols(t *testing.T) {
	names := []struct{ key, proto, full string }{
		{"explain.imap-vs-pop3.short", "IMAP", "Internet Message Access Protocol"},
		{"explain.imap-vs-pop3.short", "POP3", "Post Office Protocol 3"},
		{"explain.imap-vs-pop3.long", "IMAP", "Internet Message Access Protocol"},
		{"explain.imap-vs-pop3.long", "POP3", "Post Office Protocol 3"},
		{"explain.smtp.long", "SMTP", "Simple Mail Transfer Protocol"},
	}
	for _, l := range Supported {
		for _, n := range names {
			msg := catalogs[l][n.key]
			i := strings.Index(msg, n.proto)
			if i < 0 || !strings.HasPrefix(msg[i+len(n.proto):], " ("+n.full+")") {
				t.Errorf("%s %s: the first %s is not followed by %q", l, n.key, n.proto, " ("+n.full+")")
			}
		}
	}
}

// TestExplainIMAPSyncsState checks that explain's IMAP text says, in one
// sentence, that the read, deleted and flagged (starred) state of messages
// is synced between devices.
func TestExplainIMAPSyncsState(t *testing.T) {
	words := map[Lang][]string{
		EN: {"read", "deleted", "flagged (starred)", "synced between devices"},
		RO: {"citit", "șters", "marcat cu stea", "se sincronizează între dispozitive"},
		LT: {"perskaitytas", "ištrintas", "pažymėtas žvaigždute", "sinchronizuojama tarp įrenginių"},
	}
	for _, l := range Supported {
		long := catalogs[l]["explain.imap-vs-pop3.long"]
		// The IMAP paragraph is the second; POP3's says what is not synced.
		paras := strings.Split(long, "\n\n")
		if len(paras) < 2 || !strings.HasPrefix(paras[1], "IMAP ") {
			t.Errorf("%s: the second paragraph of explain.imap-vs-pop3.long is not about IMAP", l)
			continue
		}
		found := false
		for _, sentence := range strings.Split(paras[1], ". ") {
			all := true
			for _, w := range words[l] {
				all = all && strings.Contains(sentence, w)
			}
			found = found || all
		}
		if !found {
			t.Errorf("%s: no sentence of the IMAP paragraph has all of %q: %q", l, words[l], paras[1])
		}
	}
}
