package pinterest

import (
	"encoding/xml"
	"net/http"
	"strconv"

	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

// APIError is an error answer of the Pinterest API v5: the HTTP status and
// the documented error object {"code": 2, "message": "Authentication
// failed."} (components.schemas Pinterest.Lib.Error and Error of the
// OpenAPI description). The adapter never returns it bare: it is the cause
// wrapped by a networks error, reachable with errors.As.
type APIError struct {
	Name    string // the call, e.g. "POST /v5/pins"
	Status  int
	Code    int // Pinterest's code; 0 when the body had none
	Message string
}

// Error describes the failure; it never holds a token.
func (e *APIError) Error() string {
	msg := "pinterest: " + echo.Short(e.Name) + ": HTTP " + strconv.Itoa(e.Status)
	if e.Code != 0 {
		msg += " code " + strconv.Itoa(e.Code)
	}
	if e.Message != "" {
		msg += ": " + echo.Clip(e.Message, 300)
	}
	return msg
}

// Mapping is one row of [ErrorMapping]: a documented error code, the
// networks class it maps to and what the description says of it.
type Mapping struct {
	Code    int
	Class   apikit.Class
	Meaning string
}

// ErrorMapping is how the error codes in the OpenAPI description's examples
// (https://github.com/pinterest/api-description, v5/openapi.json) are
// classified. A code not listed is classified by its HTTP status
// ([apikit.ClassOfStatus]): some endpoints answer the status itself as the
// code (400, 403, 404, 409, 500).
var ErrorMapping = []Mapping{
	{1, apikit.ClassRejected, "invalid parameters (400)"},
	{2, apikit.ClassAuthExpired, "Authentication failed. (401)"},
	{3, apikit.ClassReauthRequired, "the token does not have sufficient permissions (401): reconnect with the scopes"},
	{5, apikit.ClassRejected, "Method not allowed (405)"},
	{7, apikit.ClassRejected, "Not authorized to access board or Pin. (401/403)"},
	{8, apikit.ClassRateLimited, "This request exceeded a rate limit. (429)"},
	{30, apikit.ClassReauthRequired, "User not found. (404): the account is gone"},
	{40, apikit.ClassRejected, "Board not found. (404): the destination board is gone"},
	{50, apikit.ClassNotFound, "Pin not found. (404)"},
	{2031, apikit.ClassRejected, "Sorry! We couldn't find this board section. (404)"},
}

var classOfCode = func() map[int]apikit.Class {
	m := make(map[int]apikit.Class, len(ErrorMapping))
	for _, r := range ErrorMapping {
		m[r.Code] = r.Class
	}
	return m
}()

// errorBody is the documented error object.
type errorBody struct {
	Code    *int   `json:"code"`
	Message string `json:"message"`
}

// classify is the adapter kit's hook for answers of api.pinterest.com: it
// reads the error object and wraps the *APIError in the class of its code
// (ErrorMapping), else of its status. A 401 is always an expired token
// unless the code says a reconnect is needed.
func classify(f *apikit.Failure) error {
	var b errorBody
	if !f.DecodeJSON(&b) || (b.Code == nil && b.Message == "") {
		return apikit.ByStatus(f)
	}
	ae := &APIError{Name: f.Req.Name, Status: f.Status, Message: apikit.Message(b.Message)}
	if b.Code != nil {
		ae.Code = *b.Code
	}
	class, ok := classOfCode[ae.Code]
	if !ok {
		class = apikit.ClassOfStatus(f.Status)
	}
	switch {
	case f.Status == http.StatusUnauthorized && class != apikit.ClassReauthRequired:
		class = apikit.ClassAuthExpired
	case f.Status == http.StatusTooManyRequests:
		class = apikit.ClassRateLimited
	case f.Status >= 500 && class == apikit.ClassRejected:
		class = apikit.ClassTransient
	}
	code := ""
	if b.Code != nil {
		code = strconv.Itoa(ae.Code)
	}
	return f.Error(class, code, ae.Message, ae)
}

// UploadError is an error answer of the media upload URL: Amazon S3's XML
// error document (<Error><Code>EntityTooLarge</Code><Message>…</Message></Error>,
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html),
// since Pinterest's upload_url is a presigned S3 POST. It is the cause
// wrapped by a networks error.
type UploadError struct {
	Status  int
	Code    string
	Message string
}

// Error describes the failure.
func (e *UploadError) Error() string {
	msg := "pinterest: media upload: HTTP " + strconv.Itoa(e.Status)
	if e.Code != "" {
		msg += " " + echo.Short(e.Code)
	}
	if e.Message != "" {
		msg += ": " + echo.Clip(e.Message, 300)
	}
	return msg
}

// uploadRejected are the S3 error codes no new attempt fixes: the file
// breaks the upload policy.
var uploadRejected = map[string]bool{
	"EntityTooLarge": true, "EntityTooSmall": true, "InvalidArgument": true,
	"MalformedPOSTRequest": true, "IncorrectNumberOfFilesInPostRequest": true, "MaxPostPreDataLengthExceeded": true,
}

// classifyUpload classifies a failed upload. No pin exists before POST
// /v5/pins, so nothing it returns is an unknown outcome: an expired policy
// (AccessDenied) or a server error is transient (the next attempt
// registers the media again and gets fresh upload parameters), SlowDown is
// a rate limit, a file the policy refuses is a rejection.
func classifyUpload(f *apikit.Failure) error {
	var b struct {
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	}
	if err := xml.Unmarshal(f.Body, &b); err != nil || b.Code == "" {
		class := apikit.ClassOfStatus(f.Status)
		if class != apikit.ClassRejected && class != apikit.ClassRateLimited {
			class = apikit.ClassTransient
		}
		return f.Error(class, strconv.Itoa(f.Status), "", &UploadError{Status: f.Status})
	}
	ue := &UploadError{Status: f.Status, Code: apikit.Message(b.Code), Message: apikit.Message(b.Message)}
	class := apikit.ClassTransient
	switch {
	case uploadRejected[b.Code]:
		class = apikit.ClassRejected
	case b.Code == "SlowDown" || f.Status == http.StatusTooManyRequests:
		class = apikit.ClassRateLimited
	}
	return f.Error(class, ue.Code, ue.Message, ue)
}

// errorIsNotFound reports whether err says a pin does not exist.
func notFound(op string, id networks.RemoteID) error {
	return &networks.NotFoundError{Network: Network, Op: op, ID: id}
}
