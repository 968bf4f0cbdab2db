package account

import (
	"fmt"
	"strings"
)

// Problem is what is wrong with an address, a host name or an enum value:
// a stable code and the values its wording needs. Error gives the English
// wording. account imports no message catalogue, so the packages that
// print errors (cmd, bulk) word a problem in the user's language from its
// code: ErrorCode names the catalogue message "err." + code.
type Problem struct {
	Code string
	Args []any
}

// Problem codes. The English wording of each is in problemText.
const (
	ProblemNotUTF8        = "not-utf8"
	ProblemQuoted         = "quoted"
	ProblemName           = "name"
	ProblemSpace          = "space"
	ProblemControl        = "control"
	ProblemNoAt           = "no-at"
	ProblemNoLocal        = "no-local"
	ProblemNoDomain       = "no-domain"
	ProblemIPLiteral      = "ip-literal"
	ProblemManyAt         = "many-at"
	ProblemLocalTooLong   = "local-too-long"   // length, limit
	ProblemLocalDotEnds   = "local-dot-ends"   //
	ProblemLocalDoubleDot = "local-double-dot" //
	ProblemLocalChar      = "local-char"       // the rune
	ProblemLocalInvalid   = "local-invalid"
	ProblemTooLong        = "too-long"           // length, limit
	ProblemDomainDot      = "domain-dot"         //
	ProblemLabelHyphen    = "label-hyphen"       // the label
	ProblemDomainInvalid  = "domain-invalid"     // the IDNA library's reason
	ProblemDomainTooLong  = "domain-too-long"    // length, limit
	ProblemDomainNoDot    = "domain-no-dot"      //
	ProblemLabelEmpty     = "label-empty"        //
	ProblemLabelTooLong   = "label-too-long"     // the label, limit
	ProblemDomainChar     = "domain-char"        // the byte
	ProblemNumericTLD     = "domain-numeric-tld" //
	ProblemHostEmpty      = "host-empty"
	ProblemEmpty          = "empty"
)

// problemText is the English wording of each problem code.
var problemText = map[string]string{
	ProblemNotUTF8:        "not valid UTF-8",
	ProblemQuoted:         "quoted local parts are not accepted by mail providers",
	ProblemName:           "give only the address, without a name or angle brackets",
	ProblemSpace:          "contains a space",
	ProblemControl:        "contains a control character",
	ProblemNoAt:           "missing @",
	ProblemNoLocal:        "nothing before the @",
	ProblemNoDomain:       "nothing after the @",
	ProblemIPLiteral:      "an IP address literal cannot be used as a mail domain",
	ProblemManyAt:         "more than one @",
	ProblemLocalTooLong:   "the part before the @ is %d bytes long, the limit is %d",
	ProblemLocalDotEnds:   "the part before the @ is not valid: it starts or ends with a dot",
	ProblemLocalDoubleDot: "the part before the @ is not valid: it has two dots in a row",
	ProblemLocalChar:      "the part before the @ is not valid: the character %q is not allowed",
	ProblemLocalInvalid:   "the part before the @ is not valid: it has characters that are not allowed",
	ProblemTooLong:        "it is %d bytes long, the limit is %d",
	ProblemDomainDot:      "the domain ends with a dot",
	ProblemLabelHyphen:    "the domain label %q starts or ends with a hyphen",
	ProblemDomainInvalid:  "the domain is not a valid host name (%s)",
	ProblemDomainTooLong:  "the domain is %d bytes long, the limit is %d",
	ProblemDomainNoDot:    "the domain needs a dot, like example.com",
	ProblemLabelEmpty:     "the domain has an empty label (two dots in a row?)",
	ProblemLabelTooLong:   "the domain label %q is longer than %d bytes",
	ProblemDomainChar:     "the domain is not a valid host name: the character %q is not allowed in host names",
	ProblemNumericTLD:     "the domain ends in a number, which no top-level domain does",
	ProblemHostEmpty:      "empty host name",
	ProblemEmpty:          "empty",
}

func problem(code string, args ...any) *Problem { return &Problem{Code: code, Args: args} }

// Error returns the problem in English.
func (p *Problem) Error() string {
	if p.Code == ProblemName {
		return ErrNameInAddress.Error()
	}
	text, ok := problemText[p.Code]
	if !ok {
		return p.Code
	}
	if len(p.Args) == 0 {
		return text
	}
	return fmt.Sprintf(text, p.Args...)
}

// Is makes a name problem match ErrNameInAddress.
func (p *Problem) Is(target error) bool { return p.Code == ProblemName && target == ErrNameInAddress }

// ErrorCode returns the problem's code under "address.": the catalogue
// key is "err.address." + Code.
func (p *Problem) ErrorCode() string { return "address." + p.Code }

// ErrorArgs returns the values the problem's wording needs.
func (p *Problem) ErrorArgs() []any { return p.Args }

// AddressError is the error ParseAddress returns: the input and what is
// wrong with it. It wraps ErrInvalidAddress and its Problem (and
// ErrNameInAddress for an address given with a name).
type AddressError struct {
	Input   string
	Problem *Problem
}

func (e *AddressError) Error() string {
	if e.Input == "" {
		return ErrInvalidAddress.Error() + ": empty"
	}
	return fmt.Sprintf("%v %q: %v", ErrInvalidAddress, e.Input, e.Problem)
}

// Unwrap returns ErrInvalidAddress and the Problem.
func (e *AddressError) Unwrap() []error { return []error{ErrInvalidAddress, e.Problem} }

// ErrorCode is "address" ("address.empty" for an empty input): see
// Problem.ErrorCode.
func (e *AddressError) ErrorCode() string {
	if e.Input == "" {
		return "address.empty"
	}
	return "address"
}

// ErrorArgs returns the input and the Problem.
func (e *AddressError) ErrorArgs() []any {
	if e.Input == "" {
		return nil
	}
	return []any{e.Input, e.Problem}
}

// HostError is the error NormalizeHost returns: the host name and what
// is wrong with it.
type HostError struct {
	Host    string
	Problem *Problem
}

func (e *HostError) Error() string {
	if e.Problem.Code == ProblemHostEmpty {
		return e.Problem.Error()
	}
	return fmt.Sprintf("host %q: %v", e.Host, e.Problem)
}

// Unwrap returns the Problem.
func (e *HostError) Unwrap() error { return e.Problem }

// ErrorCode is "address.host" ("address.host-empty" for an empty name).
func (e *HostError) ErrorCode() string {
	if e.Problem.Code == ProblemHostEmpty {
		return e.Problem.ErrorCode()
	}
	return "address.host"
}

// ErrorArgs returns the host name and the Problem.
func (e *HostError) ErrorArgs() []any {
	if e.Problem.Code == ProblemHostEmpty {
		return nil
	}
	return []any{e.Host, e.Problem}
}

// EnumError is the error of ParseProtocol, ParseSecurity and
// ParseAuthMethod: the value and the values that are accepted.
type EnumError struct {
	// Kind is "protocol", "security" or "auth".
	Kind  string
	Value string
	Want  []string
}

var enumText = map[string]string{
	"protocol": "unknown protocol %q: want %s",
	"security": "unknown security %q: want %s",
	"auth":     "unknown authentication method %q: want one of %s",
}

func (e *EnumError) Error() string {
	want := strings.Join(e.Want, ", ")
	if n := len(e.Want); e.Kind != "auth" && n > 1 {
		want = strings.Join(e.Want[:n-1], ", ") + " or " + e.Want[n-1]
	}
	return fmt.Sprintf(enumText[e.Kind], e.Value, want)
}

// ErrorCode is "enum." + Kind.
func (e *EnumError) ErrorCode() string { return "enum." + e.Kind }

// ErrorArgs returns the value and the accepted values, separated by
// commas.
func (e *EnumError) ErrorArgs() []any { return []any{e.Value, strings.Join(e.Want, ", ")} }
