package convert

import (
	"testing"

	"github.com/stretchr/testify/assert"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// TestSemconvNames checks the unprefixed attribute names against the
// semantic-conventions v1.43.0 Go constants.
func TestSemconvNames(t *testing.T) {
	assert.Equal(t, semconv.SchemaURL, SchemaURL)
	for name, key := range map[string]string{
		AttrRecordUID:     string(semconv.LogRecordUIDKey),
		attrErrorType:     string(semconv.ErrorTypeKey),
		attrUserID:        string(semconv.UserIDKey),
		attrUserEmail:     string(semconv.UserEmailKey),
		attrUserFullName:  string(semconv.UserFullNameKey),
		attrSessionID:     string(semconv.SessionIDKey),
		attrClientAddress: string(semconv.ClientAddressKey),
		attrUAName:        string(semconv.UserAgentNameKey),
		attrUAVersion:     string(semconv.UserAgentVersionKey),
		attrUAOSName:      string(semconv.UserAgentOSNameKey),
		attrUAOSVersion:   string(semconv.UserAgentOSVersionKey),
		attrGeoLocality:   string(semconv.GeoLocalityNameKey),
		attrGeoLat:        string(semconv.GeoLocationLatKey),
		attrGeoLon:        string(semconv.GeoLocationLonKey),
		attrGeoCountryISO: string(semconv.GeoCountryISOCodeKey),
	} {
		assert.Equal(t, key, name)
	}
}
