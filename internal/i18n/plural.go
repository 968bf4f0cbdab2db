package i18n

// Plural returns the plural form a count n takes in language l, as the
// Unicode CLDR names them for integers: "one", "few" or "other". English
// has no "few"; Romanian uses "few" for 0 and for 2 to 19 after the
// hundreds ("14 zile", "20 de zile"); Lithuanian "one" for 1, 21, 31…,
// "few" for 2–9, 22–29… and "other" for 0 and 10–20 after the hundreds.
// Messages that vary with a number have one key per form (key.one,
// key.few, key.other), each present in every language.
func Plural(l Lang, n int) string {
	if n < 0 {
		n = -n
	}
	switch l {
	case RO:
		switch {
		case n == 1:
			return "one"
		case n == 0 || n%100 >= 1 && n%100 <= 19:
			return "few"
		}
		return "other"
	case LT:
		n10, n100 := n%10, n%100
		if n100 >= 11 && n100 <= 19 {
			return "other"
		}
		switch {
		case n10 == 1:
			return "one"
		case n10 >= 2:
			return "few"
		}
		return "other"
	}
	if n == 1 {
		return "one"
	}
	return "other"
}
