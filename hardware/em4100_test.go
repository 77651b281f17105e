package hardware

// EM4100 card IDs the tests send, with their XOR checksums: 0F^00^A1^B2^C3 = DF, and
// 01^23^45^67^89 = 89.
const (
	emID     = "0F00A1B2C3"
	emFrame  = "\x02" + emID + "DF\x03"
	emID2    = "0123456789"
	emFrame2 = "\x02" + emID2 + "89\x03"
)
