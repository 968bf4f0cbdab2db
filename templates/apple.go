package templates

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/mailsetup/mailsetup/account"
)

func init() { register("apple", renderApple) }

// DefaultOrgID is the PayloadIdentifier prefix used when Options.OrgID is empty.
const DefaultOrgID = "org.mailsetup"

// appleUUIDNamespace is the RFC 9562 name-space of every UUID mailsetup
// puts into a profile: the v5 UUID of the URL
// "https://github.com/mailsetup/mailsetup/apple-profile" in the URL
// name-space. Changing it would change every profile's UUIDs.
var appleUUIDNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/mailsetup/mailsetup/apple-profile"))

// appleUUID returns the name-based (SHA-1, version 5) UUID of the
// PayloadIdentifier id in appleUUIDNamespace, in the upper-case
// 8-4-4-4-12 form uuidgen prints.
func appleUUID(id string) string {
	return strings.ToUpper(uuid.NewSHA1(appleUUIDNamespace, []byte(id)).String())
}

// AppleIdentifiers returns the top-level and mail-payload
// PayloadIdentifiers of the profile for addr: "<OrgID>.mailsetup.<address>"
// and that plus ".mail". Installing a profile with the same top-level
// identifier replaces the old one, so each mailbox gets its own.
func AppleIdentifiers(addr account.Address, o Options) (profile, payload string) {
	org := strings.TrimSuffix(strings.TrimSpace(o.OrgID), ".")
	if org == "" {
		org = DefaultOrgID
	}
	profile = org + ".mailsetup." + addr.String()
	return profile, profile + ".mail"
}

// appleEmailAuth maps an authentication method to Apple's EmailAuth* values.
func appleEmailAuth(field string, m account.AuthMethod) (string, error) {
	switch m {
	case account.AuthPasswordCleartext:
		return "EmailAuthPassword", nil
	case account.AuthPasswordEncrypted:
		return "EmailAuthCRAMMD5", nil
	case account.AuthNTLM:
		return "EmailAuthNTLM", nil
	case account.AuthNone, account.AuthClientIP:
		// The client sends no credentials in both cases.
		return "EmailAuthNone", nil
	case account.AuthOAuth2:
		return "", fmt.Errorf("%s authentication is OAuth2, which Apple profiles cannot express (Apple Mail signs in to OAuth2 providers such as Google or Microsoft through Settings > Mail > Accounts > Add Account): use the setup sheet instead", field)
	}
	return "", fmt.Errorf("%s authentication %s has no equivalent in Apple profiles (they know none, password, CRAM-MD5 and NTLM): use the setup sheet instead", field, m)
}

func renderApple(a account.Account, o Options) ([]File, error) {
	a, fell, err := chooseAuth(a, appleSupports, "err.auth.apple")
	if err != nil {
		return nil, err
	}
	data, hasPassword, err := applePlist(a, o)
	if err != nil {
		return nil, err
	}
	use := o.t("use.apple")
	if hasPassword {
		use += " " + o.t("use.apple.password")
	} else {
		use += " " + o.t("use.apple.no-password")
	}
	if o.Sign != nil {
		data, err = SignProfile(data, o.Sign)
		if err != nil {
			return nil, err
		}
		use += " " + o.t("use.apple.signed")
	} else {
		use += " " + o.t("use.apple.unsigned")
	}
	use = join(use, o.fallbackNote("Apple Mail", fell))
	return []File{{Name: a.Email.FileName() + ".mobileconfig", Data: data, HasPassword: hasPassword, Use: use}}, nil
}

// appleSameLogin reports whether both servers of the expanded account
// take a password for the same username, so the device need ask for the
// password only once.
func appleSameLogin(a account.Account) bool {
	return a.Incoming.Auth.UsesPassword() && a.Outgoing.Auth.UsesPassword() &&
		a.Incoming.Username == a.Outgoing.Username
}

// applePlist builds the unsigned XML property list and reports whether it
// holds the password.
func applePlist(a account.Account, o Options) ([]byte, bool, error) {
	var accountType string
	switch a.Incoming.Protocol {
	case account.IMAP:
		accountType = "EmailTypeIMAP"
	case account.POP3:
		accountType = "EmailTypePOP"
	default:
		return nil, false, fmt.Errorf("incoming protocol %s cannot be set up in Apple Mail", a.Incoming.Protocol)
	}
	inAuth, err := appleEmailAuth("incoming", a.Incoming.Auth)
	if err != nil {
		return nil, false, err
	}
	outAuth, err := appleEmailAuth("outgoing", a.Outgoing.Auth)
	if err != nil {
		return nil, false, err
	}
	var device int
	switch o.Device {
	case DeviceAny:
	case DeviceIOS:
		device = 1
	case DeviceMac:
		device = 5
	default:
		return nil, false, fmt.Errorf("unknown device %q: want %q or %q", o.Device, DeviceIOS, DeviceMac)
	}

	topID, payloadID := AppleIdentifiers(a.Email, o)
	shown := a.Email.Display()

	mail := applePlistDict{
		"EmailAccountDescription":          shown,
		"EmailAccountType":                 accountType,
		"EmailAddress":                     a.Email.String(),
		"IncomingMailServerAuthentication": inAuth,
		"IncomingMailServerHostName":       a.Incoming.Host,
		"IncomingMailServerPortNumber":     a.Incoming.Port,
		"IncomingMailServerUseSSL":         a.Incoming.Security != account.None,
		"OutgoingMailServerAuthentication": outAuth,
		"OutgoingMailServerHostName":       a.Outgoing.Host,
		"OutgoingMailServerPortNumber":     a.Outgoing.Port,
		"OutgoingMailServerUseSSL":         a.Outgoing.Security != account.None,
		"PayloadDescription":               "Sets up the mail account " + shown + ".",
		"PayloadDisplayName":               "Mail (" + shown + ")",
		"PayloadIdentifier":                payloadID,
		"PayloadType":                      "com.apple.mail.managed",
		"PayloadUUID":                      appleUUID(payloadID),
		"PayloadVersion":                   1,
	}
	if a.DisplayName != "" {
		mail["EmailAccountName"] = a.DisplayName
	}
	if a.Incoming.Username != "" {
		mail["IncomingMailServerUsername"] = a.Incoming.Username
	}
	if a.Outgoing.Username != "" {
		mail["OutgoingMailServerUsername"] = a.Outgoing.Username
	}
	hasPassword := false
	inPw, outPw := a.Incoming.Auth.UsesPassword(), a.Outgoing.Auth.UsesPassword()
	if o.IncludePassword && o.Password != "" {
		if inPw {
			mail["IncomingPassword"] = o.Password
		}
		if outPw {
			mail["OutgoingPassword"] = o.Password
		}
		// Both keys hold the one password mailsetup has, so saying they
		// are the same never contradicts them.
		if inPw && outPw {
			mail["OutgoingPasswordSameAsIncomingPassword"] = true
		}
		hasPassword = inPw || outPw
	} else if appleSameLogin(a) {
		// Apple's schema (apple/device-management,
		// mdm/profiles/com.apple.mail.managed.yaml): "If true, the system
		// prompts the user only once for the password, which it uses for
		// both outgoing and incoming mail" (interactive installs, which is
		// how these profiles are installed). Without it iOS asks twice for
		// the same login. Written only when both servers take a password
		// for the same username: another username may well have another
		// password.
		mail["OutgoingPasswordSameAsIncomingPassword"] = true
	}
	if o.Org != "" {
		mail["PayloadOrganization"] = o.Org
	}

	desc := fmt.Sprintf("Sets up %s in Mail: incoming %s, outgoing %s.", shown, a.Incoming, a.Outgoing)
	if hasPassword {
		desc += " The profile contains the password."
	} else {
		desc += " You are asked for the password while installing."
	}
	top := applePlistDict{
		"PayloadContent":     []any{mail},
		"PayloadDescription": desc,
		"PayloadDisplayName": "Mail account " + shown,
		"PayloadIdentifier":  topID,
		"PayloadType":        "Configuration",
		"PayloadUUID":        appleUUID(topID),
		"PayloadVersion":     1,
	}
	if o.Org != "" {
		top["PayloadOrganization"] = o.Org
	}
	if o.Consent != "" {
		top["ConsentText"] = applePlistDict{"default": o.Consent}
	}
	if device != 0 {
		top["TargetDeviceType"] = device
	}
	data, err := applePlistMarshal(top)
	return data, hasPassword, err
}

// applePlistDict is a property-list dictionary; keys are written sorted.
// Values are string, int, bool, applePlistDict or []any.
type applePlistDict map[string]any

// applePlistMarshal writes v as an XML property list, indented with tabs like
// Apple's own tools, keys sorted: the same value always gives the same bytes.
func applePlistMarshal(v any) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(3072)
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n")
	b.WriteString(`<plist version="1.0">` + "\n")
	if err := applePlistWrite(&b, v, 0); err != nil {
		return nil, err
	}
	b.WriteString("</plist>\n")
	return b.Bytes(), nil
}

func applePlistWrite(b *bytes.Buffer, v any, depth int) error {
	indent := strings.Repeat("\t", depth)
	switch v := v.(type) {
	case string:
		b.WriteString(indent + "<string>")
		if err := applePlistEscape(b, v); err != nil {
			return err
		}
		b.WriteString("</string>\n")
	case int:
		b.WriteString(indent + "<integer>" + strconv.Itoa(v) + "</integer>\n")
	case bool:
		if v {
			b.WriteString(indent + "<true/>\n")
		} else {
			b.WriteString(indent + "<false/>\n")
		}
	case applePlistDict:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString(indent + "<dict>\n")
		for _, k := range keys {
			b.WriteString(indent + "\t<key>")
			if err := applePlistEscape(b, k); err != nil {
				return err
			}
			b.WriteString("</key>\n")
			if err := applePlistWrite(b, v[k], depth+1); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
		}
		b.WriteString(indent + "</dict>\n")
	case []any:
		b.WriteString(indent + "<array>\n")
		for _, e := range v {
			if err := applePlistWrite(b, e, depth+1); err != nil {
				return err
			}
		}
		b.WriteString(indent + "</array>\n")
	default:
		return fmt.Errorf("plist: unsupported type %T", v)
	}
	return nil
}

// applePlistEscape writes s as XML character data. Like Apple's writer it
// escapes only &, < and >; a CR is written as &#13; so that XML parsers do
// not turn it into a LF. Characters XML 1.0 cannot carry are an error.
func applePlistEscape(b *bytes.Buffer, s string) error {
	if !utf8.ValidString(s) {
		return errors.New("text is not valid UTF-8")
	}
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '\r':
			b.WriteString("&#13;")
		case r == '\t' || r == '\n' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF:
			b.WriteRune(r)
		default:
			return fmt.Errorf("text contains the character %U, which a property list cannot hold", r)
		}
	}
	return nil
}
