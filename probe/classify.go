package probe

import (
	"strconv"
	"strings"
)

// Login refusals are classified by the machine-readable codes first: IMAP
// response codes (RFC 5530), SMTP reply and enhanced status codes (RFC
// 3463, 4954, 5248), POP3 response codes (RFC 2449, 3206). Only a reply
// without a code that decides is classified by its wording, which
// recognises the large providers' texts.

// responseCode returns the upper-case name of the bracketed response code
// at the start of an IMAP or POP3 reply text ("EXPIRED" for "[EXPIRED]
// Password expired", "SYS/TEMP" for "[SYS/TEMP] ..."), or "".
func responseCode(text string) string {
	rest, ok := strings.CutPrefix(strings.TrimSpace(text), "[")
	if !ok {
		return ""
	}
	end := strings.IndexAny(rest, "] ")
	if end <= 0 {
		return ""
	}
	return strings.ToUpper(rest[:end])
}

// codeOutcomes maps the response codes that decide a login refusal.
var codeOutcomes = map[string]LoginOutcome{
	// IMAP, RFC 5530.
	"AUTHENTICATIONFAILED": LoginWrongCredentials,
	"AUTHORIZATIONFAILED":  LoginNotAuthorized,
	"EXPIRED":              LoginPasswordExpired,
	"INUSE":                LoginLocked,
	"UNAVAILABLE":          LoginTemporary,
	"CONTACTADMIN":         LoginContactAdmin,
	"PRIVACYREQUIRED":      LoginEncryptionRequired,
	// POP3, RFC 2449 and 3206.
	"AUTH":        LoginWrongCredentials,
	"IN-USE":      LoginLocked,
	"LOGIN-DELAY": LoginTemporary,
	"SYS/TEMP":    LoginTemporary,
	"SYS/PERM":    LoginContactAdmin,
}

// classifyCoded classifies the text of an IMAP tagged NO or a POP3 -ERR
// to a login: by its bracketed response code (RFC 5530, RFC 2449/3206)
// first, else by its wording.
func classifyCoded(text string) LoginOutcome {
	if o, ok := codeOutcomes[responseCode(text)]; ok {
		return o
	}
	return classifyWording(text)
}

// enhancedCode returns the RFC 3463 enhanced status code at the start of
// an SMTP reply line's text ("5.7.8"), or "".
func enhancedCode(line string) string {
	f, _, _ := strings.Cut(line, " ")
	parts := strings.Split(f, ".")
	if len(parts) != 3 || parts[0] != "2" && parts[0] != "4" && parts[0] != "5" {
		return ""
	}
	for _, p := range parts[1:] {
		if n, err := strconv.Atoi(p); err != nil || n < 0 || n > 999 || len(p) > 3 {
			return ""
		}
	}
	return f
}

// classifySMTP classifies a failed AUTH by its reply code and enhanced
// status code (lines are the reply's texts, without the reply code).
func classifySMTP(code int, lines []string) LoginOutcome {
	enh := ""
	if len(lines) > 0 {
		enh = enhancedCode(lines[0])
	}
	switch enh {
	case "5.7.8": // authentication credentials invalid (RFC 4954)
		return LoginWrongCredentials
	case "5.7.9": // mechanism too weak: the provider wants an app password or OAuth2
		return LoginAppPasswordRequired
	case "5.7.11": // encryption required for the mechanism (RFC 4954)
		return LoginEncryptionRequired
	case "4.7.12", "5.7.12": // a password transition is needed (RFC 4954, 5248)
		return LoginPasswordExpired
	case "5.7.139": // Microsoft: basic authentication is disabled
		return LoginOAuth2Required
	}
	switch code {
	case 534:
		return LoginAppPasswordRequired
	case 538:
		return LoginEncryptionRequired
	case 432:
		return LoginPasswordExpired
	}
	if code >= 400 && code < 500 || strings.HasPrefix(enh, "4.") {
		// 4.7.0 temporary authentication failure, 4.3.x/4.4.x system or
		// network trouble: try again later.
		return LoginTemporary
	}
	return classifyWording(strings.Join(lines, " "))
}

// classifyWording classifies a refusal without a deciding code by the
// large providers' wording; anything unrecognised is wrong credentials.
func classifyWording(text string) LoginOutcome {
	t := strings.ToLower(text)
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(t, s) {
				return true
			}
		}
		return false
	}
	switch {
	case has("application-specific password", "app password", "app-specific password",
		"[webalert", "web browser", "web login required"):
		return LoginAppPasswordRequired
	case has("basic authentication is disabled", "oauth", "modern authentication"):
		return LoginOAuth2Required
	case has("password expired", "password has expired"):
		return LoginPasswordExpired
	case has("in use", "locked", "suspended", "disabled"):
		return LoginLocked
	case has("temporar", "try again later", "[limit]"):
		return LoginTemporary
	}
	return LoginWrongCredentials
}
