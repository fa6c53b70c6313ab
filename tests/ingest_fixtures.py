"""Small hand-written raw folders for the ingest tests (fake data, readable, static).

Every expected value in the tests is worked out by hand from these files; the line numbers are
written beside each row (the header is line 1).
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from refdata import REFERENCE_DIR  # noqa: F401 - re-exported for the ingest tests

PROJ_ROOT = Path(__file__).resolve().parents[1]

KEY = bytes(range(32))


def pid(la: str, child: str) -> str:
    """The expected pseudonymised id, computed here independently of analysis.ingest."""
    return hmac.new(KEY, f"{la}:{child}".encode(), hashlib.sha256).hexdigest()[:16]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.lstrip("\n"), encoding="utf-8")
    return path


def write_key(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(KEY)
    path.chmod(0o600)
    return path


# --- SSDA903, LA 806, two overlapping years --------------------------------------------------

HEADER_2223 = """
CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
0042,1,03/04/2012,WBRI,A111111111111,,
0100,2,15/06/2010,MWBC,A222222222222,1,01/01/2021
"""
# line 2: 0042, superseded by 2023-24 line 2;  line 3: 0100, processed (only here)

EPISODES_2223 = """
CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
0042,01/05/2022,S,C2,N1,U1,PR1,,,,TS1 3AA,TS5 6BB,SC123456
0100,10/06/2022,S,C1,N2,U3,PR0,01/09/2022,E11,,TS2 1CC,TS3 4DD,
"""
# line 2: superseded by 2023-24 line 2 (same CHILD + DECOM);  line 3: processed

REVIEWS_2223 = """
CHILD,DOB,REVIEW,REVIEW_CODE
0042,03/04/2012,20/05/2022,PN1
0100,15/06/2010,01/07/2022,PN9
"""
# line 2: superseded by 2023-24 line 2;  line 3: PN9 is no code -> quarantined

# 2023-24: other file names, columns in another order, lower-case names, an extra column.
HEADER_2324 = """
CHILD,DOB,SEX,ETHNIC,UPN,MOTHER,MC_DOB
0042,03/04/2012,1.0,WIRI,A111111111111,,
0077,05/05/2015,2,XXXX,A333333333333,,
"""
# line 2: SEX 1.0 read as 1; ETHNIC updated to WIRI (latest wins);  line 3: XXXX -> quarantined

EPISODES_2324 = """
child,decom,rne,ls,cin,place,place_provider,dec,rec,reason_place_change,home_post,pl_post,urn,pl_distance,pl_location,NOTES
0042,01/05/2022,S,C2,N1,U1,PR1,14/11/2023,X1,CHILD,TS1 3AA,TS5 6BB,SC123456,4.2,IN,moved
0042, 14/11/2023 ,P,C2,N1,K2,PR2,,,,TS1 3AA,TS7 8EE,,12.5,OUT,
0077,31/02/2024,S,C2,N1,U1,PR1,,,,,,,,,
0555,01/03/2024,S,C2,N1,U1,PR1,01/02/2024,E13,,,,,,,
1.2E+04,02/03/2024,S,C2,N1,U1,PR1,,,,,,,,,
"""
# line 2: processed (supersedes 2022-23 line 2);  line 3: processed (DECOM has spaces)
# line 4: 31/02/2024 is no date -> quarantined;  line 5: DEC before DECOM -> quarantined
# line 6: a child id mangled by a spreadsheet -> quarantined; NOTES: unknown column, warning

REVIEWS_2324 = """
CHILD,DOB,REVIEW,REVIEW_CODE
0042,03/04/2012,20/05/2022,PN2
0042,03/04/2012,10/11/2022,PN3
0042,03/04/2012,10/11/2022,PN4
0042,,15/03/2024,PN0
"""
# line 2: processed, supersedes 2022-23 line 2 (PN2 wins over PN1);  line 3: processed
# line 4: same CHILD + REVIEW as line 3 in the same file -> quarantined
# line 5: DOB blank: DOB is dropped from reviews, so a warning and the row is kept


def ssda903_fixture(raw: Path, la: str = "806") -> Path:
    base = raw / la / "ssda903"
    write(base / "2022-23" / "header.csv", HEADER_2223)
    write(base / "2022-23" / "episodes.csv", EPISODES_2223)
    write(base / "2022-23" / "reviews.csv", REVIEWS_2223)
    write(base / "2023-24" / "Header_2024.csv", HEADER_2324)
    write(base / "2023-24" / "Episodes_2024.csv", EPISODES_2324)
    write(base / "2023-24" / "Reviews_2024.csv", REVIEWS_2324)
    return raw


# --- CIN census XML, LA 806 --------------------------------------------------------------------

CIN_2223 = """
<?xml version="1.0" encoding="utf-8"?>
<Message>
  <Header>
    <CollectionDetails>
      <Collection>CIN</Collection>
      <Year>2023</Year>
      <ReferenceDate>2023-03-31</ReferenceDate>
    </CollectionDetails>
    <Source>
      <SourceLevel>L</SourceLevel>
      <LEA>806</LEA>
    </Source>
  </Header>
  <Children>
    <Child>
      <ChildIdentifiers>
        <LAchildID>0900</LAchildID>
        <UPN>A444444444444</UPN>
        <PersonBirthDate>2016-09-09</PersonBirthDate>
        <GenderCurrent>2</GenderCurrent>
      </ChildIdentifiers>
      <ChildCharacteristics>
        <Ethnicity>WBRI</Ethnicity>
      </ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2023-02-20</CINreferralDate>
        <ReferralSource>1A</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
        <ReferralNFA>false</ReferralNFA>
        <ChildProtectionPlans>
          <CPPstartDate>2023-03-01</CPPstartDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>1</NumberOfPreviousCPP>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
  </Children>
</Message>
"""
# Child 0900 (line 15), CINdetails (line 25), plan (line 30): all superseded by 2023-24.

CIN_2324_LINES = [
    '<?xml version="1.0" encoding="utf-8"?>',  # 1
    "<Message>",  # 2
    "  <Header>",  # 3
    "    <CollectionDetails>",  # 4
    "      <Collection>CIN</Collection>",  # 5
    "      <Year>2024</Year>",  # 6
    "      <ReferenceDate>2024-03-31</ReferenceDate>",  # 7
    "    </CollectionDetails>",  # 8
    "    <Source>",  # 9
    "      <SourceLevel>L</SourceLevel>",  # 10
    "      <LEA>806</LEA>",  # 11
    "    </Source>",  # 12
    "  </Header>",  # 13
    "  <Children>",  # 14
    "    <Child>",  # 15  child 0042
    "      <ChildIdentifiers>",  # 16
    "        <LAchildID>0042</LAchildID>",  # 17
    "        <UPN>A111111111111</UPN>",  # 18
    "        <PersonBirthDate>2012-04-03</PersonBirthDate>",  # 19
    "        <GenderCurrent>1</GenderCurrent>",  # 20
    "      </ChildIdentifiers>",  # 21
    "      <ChildCharacteristics>",  # 22
    "        <Ethnicity>WIRI</Ethnicity>",  # 23
    "      </ChildCharacteristics>",  # 24
    "      <CINdetails>",  # 25
    "        <CINreferralDate>2023-04-10</CINreferralDate>",  # 26
    "        <ReferralSource>6</ReferralSource>",  # 27
    "        <PrimaryNeedCode>N1</PrimaryNeedCode>",  # 28
    "        <ReferralNFA>0</ReferralNFA>",  # 29
    "        <Section47>",  # 30
    "          <S47ActualStartDate>2023-04-11</S47ActualStartDate>",  # 31
    "          <InitialCPCtarget>2023-05-03</InitialCPCtarget>",  # 32
    "          <DateOfInitialCPC>2023-04-28</DateOfInitialCPC>",  # 33
    "          <ICPCnotRequired>false</ICPCnotRequired>",  # 34
    "        </Section47>",  # 35
    "        <ChildProtectionPlans>",  # 36
    "          <CPPstartDate>2023-04-28</CPPstartDate>",  # 37
    "          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>",  # 38
    "          <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>",  # 39
    "          <NumberOfPreviousCPP>0</NumberOfPreviousCPP>",  # 40
    "          <Reviews>",  # 41
    "            <CPPreviewDate>2023-07-20</CPPreviewDate>",  # 42
    "          </Reviews>",  # 43
    "        </ChildProtectionPlans>",  # 44
    "      </CINdetails>",  # 45
    "    </Child>",  # 46
    "    <Child>",  # 47  child 0900
    "      <ChildIdentifiers>",  # 48
    "        <LAchildID>0900</LAchildID>",  # 49
    "        <PersonBirthDate>2016-09-09</PersonBirthDate>",  # 50
    "        <GenderCurrent>2</GenderCurrent>",  # 51
    "      </ChildIdentifiers>",  # 52
    "      <ChildCharacteristics>",  # 53
    "        <Ethnicity>WBRI</Ethnicity>",  # 54
    "      </ChildCharacteristics>",  # 55
    "      <CINdetails>",  # 56
    "        <CINreferralDate>2023-02-20</CINreferralDate>",  # 57
    "        <ReferralSource>1A</ReferralSource>",  # 58
    "        <PrimaryNeedCode>N1</PrimaryNeedCode>",  # 59
    "        <CINclosureDate>2023-12-01</CINclosureDate>",  # 60
    "        <ReasonForClosure>RC7</ReasonForClosure>",  # 61
    "        <ReferralNFA>false</ReferralNFA>",  # 62
    "        <CINPlanDates>",  # 63
    "          <CINPlanStartDate>2023-11-30</CINPlanStartDate>",  # 64
    "          <CINPlanEndDate>2023-12-01</CINPlanEndDate>",  # 65
    "        </CINPlanDates>",  # 66
    "        <ChildProtectionPlans>",  # 67
    "          <CPPstartDate>2023-03-01</CPPstartDate>",  # 68
    "          <CPPendDate>2023-11-30</CPPendDate>",  # 69
    "          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>",  # 70
    "          <LatestCategoryOfAbuse>EMO</LatestCategoryOfAbuse>",  # 71
    "          <NumberOfPreviousCPP>1.0</NumberOfPreviousCPP>",  # 72
    "          <Reviews>",  # 73
    "            <CPPreviewDate>2023-05-25</CPPreviewDate>",  # 74
    "            <CPPreviewDate>2023-11-20</CPPreviewDate>",  # 75
    "          </Reviews>",  # 76
    "        </ChildProtectionPlans>",  # 77
    "        <ChildProtectionPlans>",  # 78
    "          <CPPstartDate>2024-01-10</CPPstartDate>",  # 79
    "          <CPPendDate>2024-01-05</CPPendDate>",  # 80
    "          <InitialCategoryOfAbuse>PHY</InitialCategoryOfAbuse>",  # 81
    "          <LatestCategoryOfAbuse>PHY</LatestCategoryOfAbuse>",  # 82
    "          <NumberOfPreviousCPP>2</NumberOfPreviousCPP>",  # 83
    "          <Reviews>",  # 84
    "            <CPPreviewDate>2024-01-20</CPPreviewDate>",  # 85
    "          </Reviews>",  # 86
    "        </ChildProtectionPlans>",  # 87
    "      </CINdetails>",  # 88
    "    </Child>",  # 89
    "    <Child>",  # 90  child without an id
    "      <ChildIdentifiers>",  # 91
    "        <LAchildID></LAchildID>",  # 92
    "        <GenderCurrent>1</GenderCurrent>",  # 93
    "      </ChildIdentifiers>",  # 94
    "      <ChildCharacteristics>",  # 95
    "        <Ethnicity>WBRI</Ethnicity>",  # 96
    "      </ChildCharacteristics>",  # 97
    "      <CINdetails>",  # 98
    "        <CINreferralDate>2023-05-05</CINreferralDate>",  # 99
    "        <ReferralSource>6</ReferralSource>",  # 100
    "        <ReferralNFA>true</ReferralNFA>",  # 101
    "      </CINdetails>",  # 102
    "    </Child>",  # 103
    "  </Children>",  # 104
    "</Message>",  # 105
]
CIN_2324 = "\n".join(CIN_2324_LINES) + "\n"


def cin_fixture(raw: Path, la: str = "806") -> Path:
    write(raw / la / "cin_census" / "2022-23.xml", CIN_2223)
    write(raw / la / "cin_census" / "2023-24.xml", CIN_2324)
    return raw


# --- IRO and RAA extracts -----------------------------------------------------------------------

CASELOAD = """
month,iro_id,fte,open_cla,open_cp
2023-04,IRO1,1,62,30
2023-04,IRO2,0.5,31.0,12
2023-05,IRO1,1.5,60,29
"""
# line 2 and 3 processed (31.0 read as 31);  line 4: fte 1.5 above 1 -> quarantined

IRP = """
irp_id,child_id,raised_date,plan_type,reason,resolved_date,resolution_level
IRP-1,0042,05/06/2023,CLA,Care plan drift,20/06/2023,2
IRP-2,0900,01/08/2023,CP,Visits not held,,
IRP-3,0042,10/09/2023,CLA,Placement,01/09/2023,1
"""
# line 2, 3 processed;  line 4: resolved before raised -> quarantined

REFERRALS = """
child_id,la_code,referral_date,sibling_group_id
0042,806,01/07/2023,
B7,805,15/08/2023,SG1
C9,8O5,15/08/2023,SG1
"""
# line 2: child 0042 of LA 806 (same pseudonymised id as the 903);  line 3 processed
# line 4: la_code with a letter O -> quarantined

ADOPTERS = """
household_id,enquiry_date,registration_date,stage1_start,stage2_start,approval_date,withdrawn_date
H1,02/01/2023,01/02/2023,01/02/2023,15/04/2023,20/07/2023,
H2,10/03/2023,,,,,30/03/2023
"""


def local_fixture(raw: Path, la: str = "806") -> Path:
    write(raw / la / "iro" / "caseload.csv", CASELOAD)
    write(raw / la / "iro" / "irp.csv", IRP)
    write(raw / "raa" / "referrals.csv", REFERRALS)
    write(raw / "raa" / "adopters.csv", ADOPTERS)
    return raw


def full_fixture(raw: Path) -> Path:
    ssda903_fixture(raw)
    cin_fixture(raw)
    local_fixture(raw)
    return raw
