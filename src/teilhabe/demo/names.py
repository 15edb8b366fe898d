"""Fictional names for demo people, by language group.

Each name is a Latin spelling, optionally with the original script after a ``|``. The
groups follow the countries of origin of young refugees with a Duldung or Gestattung in
NRW around 2020, plus Ukraine from March 2022. Any resemblance to real people is chance:
given and family names are drawn independently.

``SPELLING_VARIANTS`` are the other ways the same name gets typed at a second registration
(Mohammed / Muhammad / Mohamad; German and English transliterations of Cyrillic): the
reason duplicates exist and why persons are counted through ``duplicate_of``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Name:
    latin: str
    original: str = ""


def _names(text: str) -> tuple[Name, ...]:
    result = []
    for item in text.split(","):
        latin, _, original = item.strip().partition("|")
        result.append(Name(latin.strip(), original.strip()))
    return tuple(result)


@dataclass(frozen=True)
class NameGroup:
    code: str
    nationalities: tuple[tuple[str, int], ...]  # (ISO code, weight)
    languages: tuple[str, ...]
    male: tuple[Name, ...]
    female: tuple[Name, ...]
    family: tuple[Name, ...]


ARABIC = NameGroup(
    code="arabic",
    nationalities=(("SY", 6), ("IQ", 3), ("XX", 1)),
    languages=("ar",),
    male=_names(
        "Mohammed|محمد, Ahmad|أحمد, Omar|عمر, Khaled|خالد, Yousef|يوسف, Hassan|حسن, Ali|علي,"
        "Mahmoud|محمود, Ibrahim|إبراهيم, Abdullah|عبد الله, Karim|كريم, Samer|سامر,"
        "Bilal|بلال, Tarek|طارق, Mustafa|مصطفى, Hamza|حمزة"
    ),
    female=_names(
        "Amina|أمينة, Fatima|فاطمة, Rania|رانيا, Nour|نور, Lina|لينا, Hiba|هبة, Aya|آية,"
        "Mariam|مريم, Sara|سارة, Rasha|رشا, Dima|ديما, Reem|ريم"
    ),
    family=_names(
        "Haddad|حداد, Al-Hassan|الحسن, Khalil|خليل, Mansour|منصور, Nasser|ناصر,"
        "Darwish|درويش, Saleh|صالح, Hamdan|حمدان, Qasem|قاسم, Al-Ahmad|الأحمد,"
        "Othman|عثمان, Barakat|بركات, Suleiman|سليمان, Jaber|جابر, Al-Khatib|الخطيب"
    ),
)

DARI_FARSI = NameGroup(
    code="dari_farsi",
    nationalities=(("AF", 5), ("IR", 1)),
    languages=("prs", "fa"),
    male=_names(
        "Mohammad|محمد, Ahmad Shah|احمد شاه, Mohammad Reza|محمد رضا, Hamid|حمید, Jawad|جواد,"
        "Mustafa|مصطفی, Farid|فرید, Sohrab|سهراب, Nawid|نوید, Ramin|رامین, Elyas|الیاس,"
        "Sayed|سید, Shafiq|شفیق, Zabihullah|ذبیح الله"
    ),
    female=_names(
        "Zahra|زهرا, Maryam|مریم, Farzana|فرزانه, Shabnam|شبنم, Parisa|پریسا,"
        "Nilofar|نیلوفر, Mahsa|مهسا, Soraya|ثریا, Fereshta|فرشته, Madina|مدینه"
    ),
    family=_names(
        "Ahmadi|احمدی, Hosseini|حسینی, Rahimi|رحیمی, Karimi|کریمی, Sultani|سلطانی,"
        "Noori|نوری, Haidari|حیدری, Mohammadi|محمدی, Rezaei|رضایی, Sadat|سادات,"
        "Azizi|عزیزی, Jafari|جعفری, Popal|پوپل, Wardak|وردک, Stanikzai|ستانکزی"
    ),
)

TIGRINYA = NameGroup(
    code="tigrinya",
    nationalities=(("ER", 1),),
    languages=("ti",),
    male=_names(
        "Yonas|ዮናስ, Tesfay|ተስፋይ, Dawit|ዳዊት, Mebrahtu|መብራህቱ, Filmon|ፊልሞን,"
        "Henok|ሄኖክ, Samuel|ሳሙኤል, Berhane|በርሀነ, Kidane|ኪዳነ, Robel|ሮቤል"
    ),
    female=_names(
        "Selam|ሰላም, Helen|ሄለን, Senait|ሰናይት, Freweyni|ፍረወይኒ, Luwam|ሉዋም,"
        "Saba|ሳባ, Yordanos|ዮርዳኖስ, Winta|ዊንታ"
    ),
    family=_names(
        "Tekle|ተክለ, Ghebremedhin|ገብረመድህን, Haile|ሃይለ, Weldu|ወልዱ, Habte|ሃብተ,"
        "Tesfamariam|ተስፋማርያም, Gebreyesus|ገብረየሱስ, Kahsay|ካሕሳይ, Berhe|በርሀ,"
        "Asmerom|ኣስመሮም"
    ),
)

# Kurmanji is written in Latin script, so these names have no separate original.
KURDISH = NameGroup(
    code="kurdish",
    nationalities=(("IQ", 3), ("SY", 2), ("TR", 2)),
    languages=("kmr",),
    male=_names("Azad, Rojhat, Baran, Dilovan, Serhat, Welat, Berzan, Hogir, Şiyar, Rêzan, Mazlum"),
    female=_names("Rojda, Berfin, Zozan, Nesrin, Jiyan, Dilan, Evîn, Hêvî, Rûken"),
    family=_names("Hesen, Mihemed, Xelîl, Omer, Şêxo, Ibo, Hecî, Bozan, Temo, Evdo"),
)

SOMALI = NameGroup(
    code="somali",
    nationalities=(("SO", 1),),
    languages=("so",),
    male=_names("Abdirahman, Abdullahi, Mohamed, Hassan, Ahmed, Liban, Mustafe, Farah, Said"),
    female=_names("Hodan, Fadumo, Amina, Sahra, Ifrah, Ayaan, Hamdi, Ubah, Nimco"),
    family=_names("Warsame, Farah, Hussein, Abdi, Jama, Osman, Yusuf, Nur, Egal, Duale"),
)

ALBANIAN = NameGroup(
    code="albanian",
    nationalities=(("AL", 2), ("XK", 1), ("RS", 1), ("MK", 1)),
    languages=("sq",),
    male=_names("Arben, Besnik, Driton, Erion, Florian, Genti, Klajdi, Arlind, Dritan, Endrit"),
    female=_names("Arta, Blerta, Drita, Elira, Jonida, Kaltrina, Mirela, Besa, Ardita"),
    family=_names("Hoxha, Krasniqi, Berisha, Gashi, Shehu, Leka, Dervishi, Kola, Morina, Bytyqi"),
)

WEST_AFRICAN = NameGroup(
    code="west_african",
    nationalities=(("GN", 4), ("NG", 3), ("GM", 1), ("CI", 1)),
    languages=("fr", "ff", "en"),
    male=_names(
        "Mamadou, Alpha, Ibrahima, Ousmane, Amadou, Sekou, Chinedu, Emeka, Tunde, Lamin, Moussa"
    ),
    female=_names("Mariama, Aissatou, Fatoumata, Kadiatou, Adaeze, Blessing, Ngozi, Awa"),
    family=_names(
        "Diallo, Barry, Bah, Sow, Camara, Condé, Touré, Okafor, Adeyemi, Eze, Jallow, Keita"
    ),
)

UKRAINIAN = NameGroup(
    code="ukrainian",
    nationalities=(("UA", 1),),
    languages=("uk", "ru"),
    male=_names(
        "Oleksandr|Олександр, Andrii|Андрій, Dmytro|Дмитро, Maksym|Максим, Artem|Артем,"
        "Bohdan|Богдан, Serhii|Сергій, Yurii|Юрій, Vladyslav|Владислав, Denys|Денис"
    ),
    female=_names(
        "Anastasiia|Анастасія, Olena|Олена, Kateryna|Катерина, Yuliia|Юлія, Daryna|Дарина,"
        "Iryna|Ірина, Sofiia|Софія, Viktoriia|Вікторія, Khrystyna|Христина, Oksana|Оксана"
    ),
    family=_names(
        "Shevchenko|Шевченко, Kovalenko|Коваленко, Bondarenko|Бондаренко,"
        "Tkachenko|Ткаченко, Kravchenko|Кравченко, Melnyk|Мельник, Koval|Коваль,"
        "Boiko|Бойко, Oliinyk|Олійник, Moroz|Мороз, Lysenko|Лисенко, Savchuk|Савчук,"
        "Kovalchuk|Ковальчук, Marchenko|Марченко"
    ),
)

# Before March 2022: the groups of the original target group, with rough weights.
GROUPS_BEFORE_UKRAINE: tuple[tuple[NameGroup, int], ...] = (
    (ARABIC, 20),
    (DARI_FARSI, 22),
    (TIGRINYA, 8),
    (KURDISH, 11),
    (SOMALI, 6),
    (ALBANIAN, 11),
    (WEST_AFRICAN, 17),
)
ALL_GROUPS: tuple[tuple[NameGroup, int], ...] = (*GROUPS_BEFORE_UKRAINE, (UKRAINIAN, 8))

# Latin spellings of the same name as typed at another registration.
SPELLING_VARIANTS: dict[str, tuple[str, ...]] = {
    "Mohammed": ("Muhammad", "Mohamad", "Mohamed"),
    "Mohammad": ("Mohammed", "Muhammad", "Mohamad"),
    "Mohamed": ("Mohammed", "Mahamed"),
    "Ahmad": ("Ahmed", "Achmad"),
    "Ahmed": ("Ahmad",),
    "Yousef": ("Youssef", "Yusuf", "Jussuf"),
    "Mahmoud": ("Mahmud", "Machmud"),
    "Hassan": ("Hasan",),
    "Mustafa": ("Mostafa", "Mustapha"),
    "Khaled": ("Khalid", "Chaled"),
    "Ibrahim": ("Ebrahim",),
    "Fatima": ("Fatma", "Fatemeh"),
    "Mariam": ("Maryam", "Mariyam"),
    "Maryam": ("Mariam",),
    "Zahra": ("Sahra",),
    "Hosseini": ("Husseini", "Hosseiny"),
    "Ahmadi": ("Ahmady",),
    "Mohammadi": ("Mohammady", "Muhammadi"),
    "Haddad": ("Hadad",),
    "Qasem": ("Kassem", "Qassim"),
    "Al-Hassan": ("Alhassan", "Al Hasan"),
    "Tesfay": ("Tesfai",),
    "Ghebremedhin": ("Gebremedhin",),
    "Berhane": ("Berhan",),
    # Ukrainian: the national (KMU 2010) romanisation vs. a German transliteration.
    "Oleksandr": ("Oleksander", "Alexander"),
    "Andrii": ("Andrij", "Andriy"),
    "Dmytro": ("Dmitro", "Dmitrij"),
    "Serhii": ("Serhij", "Sergej"),
    "Yurii": ("Jurij",),
    "Yuliia": ("Julija", "Yulia"),
    "Kateryna": ("Katerina", "Kateryna"),
    "Anastasiia": ("Anastasija", "Anastasia"),
    "Sofiia": ("Sofija", "Sofia"),
    "Viktoriia": ("Viktorija", "Viktoria"),
    "Khrystyna": ("Chrystyna",),
    "Shevchenko": ("Schewtschenko",),
    "Kovalenko": ("Kowalenko",),
    "Tkachenko": ("Tkatschenko",),
    "Kravchenko": ("Krawtschenko",),
    "Kovalchuk": ("Kowaltschuk",),
    "Savchuk": ("Sawtschuk",),
    "Boiko": ("Bojko",),
    "Oliinyk": ("Olijnyk",),
    "Marchenko": ("Martschenko",),
}

# Parts of Cologne with their postal codes (a person's address is only ever the district).
COLOGNE_DISTRICTS: tuple[tuple[str, str], ...] = (
    ("Innenstadt", "50667"),
    ("Neustadt-Süd", "50674"),
    ("Ehrenfeld", "50823"),
    ("Nippes", "50733"),
    ("Kalk", "51103"),
    ("Mülheim", "51063"),
    ("Chorweiler", "50765"),
    ("Porz", "51143"),
    ("Lindenthal", "50931"),
    ("Rodenkirchen", "50996"),
    ("Vingst", "51107"),
    ("Bickendorf", "50827"),
    ("Deutz", "50679"),
    ("Longerich", "50739"),
    ("Buchheim", "51063"),
)
