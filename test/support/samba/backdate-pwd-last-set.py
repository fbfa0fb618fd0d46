"""Backdates a user's pwdLastSet so Samba reports the password as expired (bind sub-code 532).

LDAP (even as Administrator) only accepts pwdLastSet 0 or -1. Samba's password_hash module
takes any value when the private control DSDB_CONTROL_PASSWORD_BYPASS_LAST_SET_OID is passed,
which only works on the local sam.ldb with a system session, hence this script instead of an
ldapts modify. Run it with the Python interpreter samba-tool uses (python3-samba).

Usage: backdate-pwd-last-set.py <smb.conf> <user DN> <pwdLastSet as Windows FILETIME>
"""

import sys

import ldb
from samba.auth import system_session
from samba.param import LoadParm
from samba.samdb import SamDB

# DSDB_CONTROL_PASSWORD_BYPASS_LAST_SET_OID (source4/dsdb/samdb/samdb.h)
BYPASS_LAST_SET = "local_oid:1.3.6.1.4.1.7165.4.3.20:0"


def main(conf: str, dn: str, filetime: str) -> None:
    lp = LoadParm()
    lp.load(conf)
    samdb = SamDB(url=lp.samdb_url(), session_info=system_session(), lp=lp)
    message = ldb.Message()
    message.dn = ldb.Dn(samdb, dn)
    message["pwdLastSet"] = ldb.MessageElement(filetime, ldb.FLAG_MOD_REPLACE, "pwdLastSet")
    samdb.modify(message, controls=[BYPASS_LAST_SET])


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3])
