// soryoku's default test rule (MIT, part of soryoku): the EICAR anti-malware test file.
rule soryoku_eicar_test_file
{
    meta:
        description = "EICAR anti-malware test file (68-byte test string at offset 0, up to 128 bytes with trailing whitespace)"
        author = "soryoku"
        license = "MIT"
        reference = "https://www.eicar.org/download-anti-malware-testfile/"
    strings:
        $eicar = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
    condition:
        $eicar at 0 and filesize <= 128
}
