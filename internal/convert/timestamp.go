package convert // import "github.com/onepassword-otel/onepasswordreceiver/internal/convert"

// parseTimestamp parses an RFC 3339 date-time (YYYY-MM-DDThh:mm:ss, an
// optional fraction, then Z or ±hh:mm) into nanoseconds since the Unix epoch,
// keeping every fractional digit up to the nanosecond (further digits are
// truncated) and honouring the offset. The API sends 0, 3 or 9 fractional
// digits with Z; vendor examples use -03:00.
//
// It is hand-written because time.Parse costs several times more and the
// timestamp is parsed once per event. Anything else is rejected, and so are
// years before 1970 and after 2261, which a pcommon.Timestamp (uint64
// nanoseconds, in practice int64) cannot hold.
func parseTimestamp(s string) (uint64, bool) {
	if len(s) < len("2006-01-02T15:04:05Z") {
		return 0, false
	}
	year, ok1 := digits(s, 0, 4)
	month, ok2 := digits(s, 5, 2)
	day, ok3 := digits(s, 8, 2)
	hour, ok4 := digits(s, 11, 2)
	minute, ok5 := digits(s, 14, 2)
	sec, ok6 := digits(s, 17, 2)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 ||
		s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return 0, false
	}
	if year < 1969 || year > 2261 || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) || hour > 23 || minute > 59 || sec > 59 {
		return 0, false
	}

	i := 19
	var frac int64
	if s[i] == '.' {
		i++
		start := i
		scale := int64(100_000_000)
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			frac += int64(s[i]-'0') * scale
			scale /= 10
			i++
		}
		if i == start || i >= len(s) {
			return 0, false
		}
	}

	var offset int64
	switch s[i] {
	case 'Z':
		i++
	case '+', '-':
		if len(s) != i+6 || s[i+3] != ':' {
			return 0, false
		}
		oh, ok1 := digits(s, i+1, 2)
		om, ok2 := digits(s, i+4, 2)
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return 0, false
		}
		offset = int64(oh*3600 + om*60)
		if s[i] == '-' {
			offset = -offset
		}
		i += 6
	default:
		return 0, false
	}
	if i != len(s) {
		return 0, false
	}

	secs := daysSinceEpoch(year, month, day)*86400 + int64(hour*3600+minute*60+sec) - offset
	if secs < 0 { // 1970-01-01 with a positive offset
		return 0, false
	}
	return uint64(secs*1_000_000_000 + frac), true
}

// digits reads n decimal digits at s[i:].
func digits(s string, i, n int) (int, bool) {
	v := 0
	for j := i; j < i+n; j++ {
		c := s[j]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysSinceEpoch is the proleptic Gregorian day number of a date relative to
// 1970-01-01 (Howard Hinnant's days_from_civil; y ≥ 1969, so the divisions
// need no care for negative numbers).
func daysSinceEpoch(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}
