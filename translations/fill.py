"""Fill the Russian and Uzbek catalogs from the dictionaries below (babel read_po/write_po).

    python translations/fill.py          # fill uz and ru, then report entries still untranslated
    python translations/fill.py --check  # only validate placeholders, mnemonics and punctuation

Each entry is msgid: (russian, uzbek).  Plural entries (ngettext) are keyed by the singular msgid and give a
tuple of forms: Russian 3 (one, few, many), Uzbek 2.  Uzbek is written here in an ASCII-friendly notation that
fill.py converts: o` g` O` G` become oʻ gʻ Oʻ Gʻ (U+02BB), and ' becomes the tutuq belgisi ʼ (U+02BC).
Entries of the catalogs that are in no dictionary are left as they are and listed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent

T = {
"&1 Incident": ("&1 Событие", "&1 Hodisa"),
"&2 Persons": ("&2 Лица", "&2 Shaxslar"),
"&3 Conveyance and route": ("&3 Транспорт и маршрут", "&3 Transport va marshrut"),
"&4 Seized items": ("&4 Изъятые товары", "&4 Olib qo`yilgan tovarlar"),
"&5 Photos": ("&5 Фото", "&5 Suratlar"),
"&6 Narrative and legal basis": ("&6 Фабула и правовое основание", "&6 Holat bayoni va huquqiy asos"),
"&7 History": ("&7 История", "&7 Tarix"),
"&About BLO Desk": ("&О программе BLO Desk", "BLO Desk &haqida"),
"&Amend…": ("Внести &поправку…", "&Tuzatish kiritish…"),
"&Case": ("&Дело", "&Ish"),
"&Discard changes": ("Отменить &изменения", "O`zgarishlarni &bekor qilish"),
"&Edit": ("&Правка", "&Tahrir"),
"&Finalize…": ("&Завершить…", "Ya&kunlash…"),
"&Find cases": ("&Поиск дел", "Ishlarni &qidirish"),
"&Find:": ("&Найти:", "&Qidirish:"),
"&Help": ("&Справка", "&Yordam"),
"&Language": ("&Язык", "Ti&l"),
"&New case": ("&Новое дело", "&Yangi ish"),
"&Open selected case": ("&Открыть выбранное дело", "Tanlangan ishni &ochish"),
"&Print protocol…": ("Пе&чать протокола…", "Bayonnomani &chop etish…"),
"&Quit": ("В&ыход", "Chi&qish"),
"&Refresh": ("&Обновить", "&Yangilash"),
"&Save": ("&Сохранить", "&Saqlash"),
"&Tools": ("С&ервис", "&Vositalar"),
"&View": ("&Вид", "&Ko`rinish"),
"(new case)": ("(новое дело)", "(yangi ish)"),
"A case with goods of several categories is counted once in each.": (
    "Дело с товарами нескольких категорий учитывается один раз в каждой из них.",
    "Bir necha toifadagi tovarlar bo`lgan ish har bir toifada bir martadan hisoblanadi."),
"A copy of this protocol was received": ("Копия настоящего протокола получена", "Ushbu bayonnomaning nusxasini oldim"),
"A finalized case cannot be edited; later changes are amendments with a reason.": (
    "Завершённое дело нельзя редактировать; последующие изменения вносятся поправками с указанием причины.",
    "Yakunlangan ishni tahrirlab bo`lmaydi; keyingi o`zgarishlar sababi ko`rsatilgan tuzatish sifatida kiritiladi."),
"A user named {username} already exists.": ("Пользователь {username} уже существует.",
    "{username} nomli foydalanuvchi allaqachon mavjud."),
"A username has 2 to 64 characters: small Latin letters, digits, dot, dash or underscore.": (
    "Имя пользователя содержит от 2 до 64 символов: строчные латинские буквы, цифры, точку, дефис или знак подчёркивания.",
    "Foydalanuvchi nomi 2 tadan 64 tagacha belgidan iborat: kichik lotin harflari, raqamlar, nuqta, chiziqcha yoki pastki chiziq."),
"About BLO Desk": ("О программе BLO Desk", "BLO Desk haqida"),
"Add &photo…": ("Добавить &фото…", "&Surat qo`shish…"),
"Add at least one seized item before finalizing.": ("Перед завершением добавьте хотя бы один изъятый товар.",
    "Yakunlashdan oldin kamida bitta olib qo`yilgan tovarni qo`shing."),
"Add item": ("Добавить товар", "Tovar qo`shish"),
"Add person": ("Добавить лицо", "Shaxs qo`shish"),
"Add photos": ("Добавить фото", "Suratlar qo`shish"),
"Add photo…": ("Добавить фото…", "Surat qo`shish…"),
"Added user {username}.": ("Пользователь {username} добавлен.", "{username} foydalanuvchisi qo`shildi."),
"Added {count} synthetic cases": ("Добавлено синтетических дел: {count}", "{count} ta sintetik ish qo`shildi"),
"Address": ("Адрес", "Manzil"),
"Administrator": ("Администратор", "Administrator"),
"Agency": ("Ведомство", "Idora"),
"Alert: {message}": ("Оповещение: {message}", "Ogohlantirish: {message}"),
"All": ("Все", "Hammasi"),
"All cases": ("Все дела", "Barcha ishlar"),
"All posts": ("Все посты", "Barcha postlar"),
"Alt+Delete": ("Alt+Delete", "Alt+Delete"),
"Alt+Insert": ("Alt+Insert", "Alt+Insert"),
"Amend": ("Внести поправку", "Tuzatish kiritish"),
"Amend case {case_number}": ("Поправка к делу {case_number}", "{case_number} ishiga tuzatish kiritish"),
"Amending case {case_number} (revision {revision}). Reason: {reason}": (
    "Внесение поправки в дело {case_number} (редакция {revision}). Причина: {reason}",
    "{case_number} ishiga tuzatish kiritilmoqda ({revision}-versiya). Sabab: {reason}"),
"Amend…": ("Внести поправку…", "Tuzatish kiritish…"),
"An officer or a supervisor works at a post: give its code.": (
    "Сотрудник или руководитель работает на посту: укажите код поста.",
    "Xodim yoki rahbar postda ishlaydi: post kodini ko`rsating."),
"Audit event {seq} does not follow the event before it (the chain is broken).": (
    "Событие аудита {seq} не продолжает предыдущее событие (цепочка нарушена).",
    "{seq}-audit hodisasi oldingi hodisaning davomi emas (zanjir uzilgan)."),
"Audit event {seq} was changed after it was written.": ("Событие аудита {seq} изменено после записи.",
    "{seq}-audit hodisasi yozilganidan keyin o`zgartirilgan."),
"Audit trail intact: {length} events, head {head}.": ("Журнал аудита не нарушен (событий: {length}), последний хеш {head}.",
    "Audit jurnali butun: {length} ta hodisa, oxirgi xesh {head}."),
"BLO Desk {version}: seizure case logger for Border Liaison Offices.": (
    "BLO Desk {version}: журнал дел об изъятиях для пограничных офисов связи.",
    "BLO Desk {version}: chegara aloqa ofislari uchun olib qo`yish ishlari jurnali."),
"BLO Desk — seizure cases": ("BLO Desk — дела об изъятиях", "BLO Desk — olib qo`yish ishlari"),
"BLO Desk: seizure case logger for Border Liaison Offices": (
    "BLO Desk: журнал дел об изъятиях для пограничных офисов связи",
    "BLO Desk: chegara aloqa ofislari uchun olib qo`yish ishlari jurnali"),
"Border crossing point {name} ({code})": ("Пункт пропуска «{name}» ({code})",
    "“{name}” chegara o`tkazish punkti ({code})"),
"Brand or markings": ("Марка или маркировка", "Marka yoki belgilar"),
"Bundle {seq} written to {path}: {records} revisions of {cases} cases, {photos} photos": (
    "Пакет {seq} записан в {path}: редакций — {records} (дел — {cases}), фото — {photos}",
    "{seq}-paket yozildi ({path}): {cases} ta ishning {records} ta versiyasi, {photos} ta surat"),
"By": ("Автор", "Muallif"),
"Cancel": ("Отмена", "Bekor qilish"),
"Case &list": ("&Список дел", "Ishlar &ro`yxati"),
"Case number": ("Номер дела", "Ish raqami"),
"Case store": ("Хранилище дел", "Ishlar bazasi"),
"Case {case_id} was not found.": ("Дело {case_id} не найдено.", "{case_id} ishi topilmadi."),
"Case {case_number} does not match its recorded history.": ("Дело {case_number} не соответствует записанной истории.",
    "{case_number} ishi qayd etilgan tarixiga mos kelmaydi."),
"Case {case_number} is finalized (revision {revision}) and read-only. Use Amend to change it.": (
    "Дело {case_number} завершено (редакция {revision}) и доступно только для чтения. Для изменения нажмите «Внести поправку».",
    "{case_number} ishi yakunlangan ({revision}-versiya) va faqat o`qish uchun. O`zgartirish uchun “Tuzatish kiritish” tugmasini bosing."),
"Case {case_number} is finalized.": ("Дело {case_number} завершено.", "{case_number} ishi yakunlandi."),
"Case {case_number} is finalized. Why does it need to change? The reason is kept in its history.": (
    "Дело {case_number} завершено. Почему его нужно изменить? Причина сохраняется в истории дела.",
    "{case_number} ishi yakunlangan. Nima uchun uni o`zgartirish kerak? Sabab ish tarixida saqlanadi."),
"Case {case_number} is finalized; an amendment with a reason is needed to change it.": (
    "Дело {case_number} завершено; для его изменения нужна поправка с указанием причины.",
    "{case_number} ishi yakunlangan; uni o`zgartirish uchun sababi ko`rsatilgan tuzatish kerak."),
"Case {case_number} is still a draft; only a finalized case is amended.": (
    "Дело {case_number} ещё является черновиком; поправки вносятся только в завершённые дела.",
    "{case_number} ishi hali qoralama; tuzatish faqat yakunlangan ishga kiritiladi."),
"Case {case_number} revision {revision} arrives with content different from the revision already held.": (
    "Редакция {revision} дела {case_number} поступила с содержимым, отличным от уже имеющейся.",
    "{case_number} ishining {revision}-versiyasi mavjud versiyadan farqli mazmun bilan keldi."),
"Cases": ("Дела", "Ishlar"),
"Cases by commodity category": ("Дела по категориям товаров", "Tovar toifalari bo`yicha ishlar"),
"Cases by month": ("Дела по месяцам", "Oylar bo`yicha ishlar"),
"Cases counted": ("Учтённые дела", "Hisobga olingan ishlar"),
"Change a finalized case, giving a reason": ("Изменить завершённое дело с указанием причины",
    "Yakunlangan ishni sababini ko`rsatib o`zgartirish"),
"Changes discarded.": ("Изменения отменены.", "O`zgarishlar bekor qilindi."),
"Check code": ("Контрольный код", "Nazorat kodi"),
"Check code: {code}": ("Контрольный код: {code}", "Nazorat kodi: {code}"),
"Choose how the goods were detected.": ("Выберите способ обнаружения товаров.", "Tovarlar qanday aniqlanganini tanlang."),
"Choose the commodity category.": ("Выберите категорию товара.", "Tovar toifasini tanlang."),
"Choose the crossing point.": ("Выберите пункт пропуска.", "O`tkazish punktini tanlang."),
"Choose the unit.": ("Выберите единицу измерения.", "O`lchov birligini tanlang."),
"Circumstances": ("Обстоятельства", "Holatlar"),
"Close": ("Закрыть", "Yopish"),
"Commodity": ("Товар", "Tovar"),
"Commodity category": ("Категория товара", "Tovar toifasi"),
"Commodity:": ("Товар:", "Tovar:"),
"Concealment": ("Сокрытие", "Yashirish"),
"Concealment details": ("Подробности сокрытия", "Yashirish tafsilotlari"),
"Conveyance": ("Транспортное средство", "Transport vositasi"),
"Conveyance and documents": ("Транспортное средство и документы", "Transport vositasi va hujjatlar"),
"Course of the inspection": ("Ход досмотра", "Ko`rikning borishi"),
"Created the first administrator {username}.": ("Создан первый администратор {username}.",
    "Birinchi administrator {username} yaratildi."),
"Crossing point": ("Пункт пропуска", "O`tkazish punkti"),
"Crossing point of this &office…": ("&Пункт пропуска этого офиса…", "Ushbu ofisning o`tkazish &punkti…"),
"Crossing point of this office": ("Пункт пропуска этого офиса", "Ushbu ofisning o`tkazish punkti"),
"Crossing point:": ("Пункт пропуска:", "O`tkazish punkti:"),
"Currency": ("Валюта", "Valyuta"),
"Current password: ": ("Текущий пароль: ", "Joriy parol: "),
"Customs procedure": ("Таможенная процедура", "Bojxona rejimi"),
"Date": ("Дата", "Sana"),
"Date (DD.MM.YYYY)": ("Дата (ДД.ММ.ГГГГ)", "Sana (KK.OO.YYYY)"),
"Date and time": ("Дата и время", "Sana va vaqt"),
"Date of birth (DD.MM.YYYY)": ("Дата рождения (ДД.ММ.ГГГГ)", "Tug`ilgan sana (KK.OO.YYYY)"),
"Describe the item.": ("Опишите товар.", "Tovarni tavsiflang."),
"Description": ("Описание", "Tavsif"),
"Direction": ("Направление", "Yo`nalish"),
"Direction of travel": ("Направление движения", "Harakat yo`nalishi"),
"Discard changes": ("Отменить изменения", "O`zgarishlarni bekor qilish"),
"Document": ("Документ", "Hujjat"),
"Document number": ("Номер документа", "Hujjat raqami"),
"Draft": ("Черновик", "Qoralama"),
"Draft {case_number}, revision {revision}": ("Черновик {case_number}, редакция {revision}",
    "Qoralama {case_number}, {revision}-versiya"),
"Driver": ("Водитель", "Haydovchi"),
"Drop photos here or use Add photo. JPEG, PNG, TIFF, WebP, HEIC or PDF, up to 50 MB each.": (
    "Перетащите фото сюда или нажмите «Добавить фото». JPEG, PNG, TIFF, WebP, HEIC или PDF, не более 50 МБ каждый.",
    "Suratlarni shu yerga tashlang yoki “Surat qo`shish” tugmasini bosing. JPEG, PNG, TIFF, WebP, HEIC yoki PDF, har biri 50 MB gacha."),
"Empty case store": ("Хранилище дел пусто", "Ishlar bazasi bo`sh"),
"Enter a number.": ("Введите число.", "Son kiriting."),
"Enter a whole number.": ("Введите целое число.", "Butun son kiriting."),
"Enter the date and time of the seizure.": ("Введите дату и время изъятия.", "Olib qo`yish sanasi va vaqtini kiriting."),
"Enter the date as DD.MM.YYYY.": ("Введите дату в формате ДД.ММ.ГГГГ.", "Sanani KK.OO.YYYY ko`rinishida kiriting."),
"Enter the person's full name.": ("Введите фамилию, имя, отчество лица.", "Shaxsning familiyasi, ismi, sharifini kiriting."),
"Enter the quantity.": ("Введите количество.", "Miqdorni kiriting."),
"Enter the time as HH:MM.": ("Введите время в формате ЧЧ:ММ.", "Vaqtni SS:DD ko`rinishida kiriting."),
"Entry": ("Въезд", "Kirish"),
"Error": ("Ошибка", "Xato"),
"Error: {message}": ("Ошибка: {message}", "Xato: {message}"),
"Estimated value": ("Оценочная стоимость", "Taxminiy qiymat"),
"Events {first} to {last} are missing from the audit trail.": ("В журнале аудита отсутствуют события с {first} по {last}.",
    "Audit jurnalida {first} dan {last} gacha bo`lgan hodisalar yo`q."),
"Exit": ("Выезд", "Chiqish"),
"Female": ("Женский", "Ayol"),
"Finalize": ("Завершить", "Yakunlash"),
"Finalize case": ("Завершение дела", "Ishni yakunlash"),
"Finalize case {case_number}?": ("Завершить дело {case_number}?", "{case_number} ishi yakunlansinmi?"),
"Finalized": ("Завершено", "Yakunlangan"),
"Finalized cases only": ("Только завершённые дела", "Faqat yakunlangan ishlar"),
"Finalize…": ("Завершить…", "Yakunlash…"),
"Forget what was typed since the last save": ("Отменить всё введённое после последнего сохранения",
    "Oxirgi saqlashdan keyin kiritilganlarni bekor qilish"),
"From country": ("Страна отправления", "Jo`natuvchi mamlakat"),
"From:": ("С:", "Dan:"),
"Full name": ("ФИО", "F.I.Sh."),
"Full name, date of birth, citizenship": ("ФИО, дата рождения, гражданство", "F.I.Sh., tug`ilgan sana, fuqaroligi"),
"Generated {done} of {total} cases": ("Создано дел: {done} из {total}", "{total} ta ishdan {done} tasi yaratildi"),
"Give the reason for the amendment.": ("Укажите причину поправки.", "Tuzatish sababini ko`rsating."),
"Goods": ("Товары", "Tovarlar"),
"HQ analyst": ("Аналитик центрального аппарата", "Markaziy apparat tahlilchisi"),
"HQ: bundles held per post, gaps, alerts and trusted keys": (
    "Центральный аппарат: полученные пакеты по постам, пропуски, оповещения и доверенные ключи",
    "Markaziy apparat: postlar bo`yicha olingan paketlar, uzilishlar, ogohlantirishlar va ishonchli kalitlar"),
"Handed over for storage to": ("Передано на хранение", "Saqlash uchun topshirildi"),
"How detected": ("Способ обнаружения", "Aniqlash usuli"),
"Identity document": ("Документ, удостоверяющий личность", "Shaxsni tasdiqlovchi hujjat"),
"Inspection ended at": ("Досмотр окончен в", "Ko`rik tugagan vaqt"),
"Inspection started at": ("Досмотр начат в", "Ko`rik boshlangan vaqt"),
"Interpreter": ("Переводчик", "Tarjimon"),
"Item {number}": ("Товар {number}", "{number}-tovar"),
"Items": ("Товары", "Tovarlar"),
"Items seized": ("Изъято товаров", "Olib qo`yilgan tovarlar"),
"Items seized: {count}": ("Изъято товаров: {count}", "Olib qo`yilgan tovarlar: {count}"),
"Keep editing": ("Продолжить редактирование", "Tahrirlashni davom ettirish"),
"Keep editing to correct the marked fields and save.": (
    "Продолжите редактирование, чтобы исправить отмеченные поля и сохранить дело.",
    "Belgilangan maydonlarni tuzatish va saqlash uchun tahrirlashni davom ettiring."),
"Key {key_id} is already registered to post {post}.": ("Ключ {key_id} уже зарегистрирован за постом {post}.",
    "{key_id} kaliti allaqachon {post} postiga ro`yxatdan o`tkazilgan."),
"Key {key_id} is not in the trust store.": ("Ключа {key_id} нет в хранилище доверенных ключей.",
    "{key_id} kaliti ishonchli kalitlar omborida yo`q."),
"Key {key_id} of post {post} is refused from bundle {seq} on.": (
    "Ключ {key_id} поста {post} отклоняется начиная с пакета {seq}.",
    "{post} postining {key_id} kaliti {seq}-paketdan boshlab rad etiladi."),
"Key {key_id} of post {post} is revoked from bundle {from_seq} on; this bundle is number {seq}.": (
    "Ключ {key_id} поста {post} отозван начиная с пакета {from_seq}; номер этого пакета — {seq}.",
    "{post} postining {key_id} kaliti {from_seq}-paketdan boshlab bekor qilingan; bu paketning raqami {seq}."),
"Key {key_id} trusted for post {post}.": ("Ключ {key_id} признан доверенным для поста {post}.",
    "{key_id} kaliti {post} posti uchun ishonchli deb belgilandi."),
"Legal basis": ("Правовое основание", "Huquqiy asos"),
"Legal ground": ("Основание изъятия", "Olib qo`yish asosi"),
"List of cases": ("Перечень дел", "Ishlar ro`yxati"),
"Load &demo cases": ("Загрузить &демо-дела", "&Namuna ishlarni yuklash"),
"Load demo cases": ("Загрузить демо-дела", "Namuna ishlarni yuklash"),
"Loaded {count} demo cases into {path}": ("Загружено демо-дел: {count}, хранилище: {path}",
    "{count} ta namuna ish yuklandi: {path}"),
"Loaded {count} demo cases.": ("Загружено демо-дел: {count}.", "{count} ta namuna ish yuklandi."),
"Loading the demo cases…": ("Загрузка демо-дел…", "Namuna ishlar yuklanmoqda…"),
"Loading…": ("Загрузка…", "Yuklanmoqda…"),
"Log in with your username and password first.": ("Сначала войдите в систему под своим именем пользователя и паролем.",
    "Avval foydalanuvchi nomingiz va parolingiz bilan tizimga kiring."),
"Logged in as {username} ({role}, post {post}).": ("Выполнен вход: {username} ({role}, пост {post}).",
    "Tizimga kirildi: {username} ({role}, {post} posti)."),
"MISMATCH: case {case_number}, revision {revision}, is held but its content differs from this copy.": (
    "НЕСООТВЕТСТВИЕ: дело {case_number}, редакция {revision}, имеется, но его содержимое отличается от этого экземпляра.",
    "MOS KELMAYDI: {case_number} ishining {revision}-versiyasi mavjud, lekin uning mazmuni ushbu nusxadan farq qiladi."),
"Make the case final and read-only": ("Завершить дело и запретить его редактирование",
    "Ishni yakunlash va tahrirlashni yopish"),
"Male": ("Мужской", "Erkak"),
"Match: case {case_number}, revision {revision}, is held and matches this copy.": (
    "Совпадение: дело {case_number}, редакция {revision}, имеется и совпадает с этим экземпляром.",
    "Mos keladi: {case_number} ishining {revision}-versiyasi mavjud va ushbu nusxaga mos keladi."),
"Match: case {case_number}, revision {revision}, is held and matches this copy. The case has a newer revision ({latest}).": (
    "Совпадение: дело {case_number}, редакция {revision}, имеется и совпадает с этим экземпляром. У дела есть более новая редакция ({latest}).",
    "Mos keladi: {case_number} ishining {revision}-versiyasi mavjud va ushbu nusxaga mos keladi. Ishning yangiroq versiyasi bor ({latest})."),
"Method of concealment": ("Способ сокрытия", "Yashirish usuli"),
"Method of detection": ("Способ обнаружения", "Aniqlash usuli"),
"Month": ("Месяц", "Oy"),
"Most common methods of concealment": ("Наиболее частые способы сокрытия", "Eng ko`p uchraydigan yashirish usullari"),
"Move down": ("Вниз", "Pastga"),
"Move up": ("Вверх", "Yuqoriga"),
"Name and distinguishing features": ("Наименование и отличительные признаки", "Nomi va farqlovchi belgilari"),
"Name, passport, plate, item, place… (Ctrl+F)": ("Имя, паспорт, госномер, товар, место… (Ctrl+F)",
    "Ism, pasport, davlat raqami, tovar, joy… (Ctrl+F)"),
"Narrative": ("Фабула", "Holat bayoni"),
"Nationality": ("Гражданство", "Fuqaroligi"),
"New case": ("Новое дело", "Yangi ish"),
"New case, not saved yet": ("Новое дело, ещё не сохранено", "Yangi ish, hali saqlanmagan"),
"New cases are recorded at:": ("Новые дела регистрируются в пункте:", "Yangi ishlar qayd etiladigan punkt:"),
"New password: ": ("Новый пароль: ", "Yangi parol: "),
"Next section": ("Следующий раздел", "Keyingi bo`lim"),
"No": ("Нет", "Yo`q"),
"No bundle found.": ("Пакеты не найдены.", "Paket topilmadi."),
"No cases in this period.": ("За этот период дел нет.", "Bu davrda ishlar yo`q."),
"No persons yet. Press Add person (Alt+Insert).": ("Лиц пока нет. Нажмите «Добавить лицо» (Alt+Insert).",
    "Hozircha shaxslar yo`q. “Shaxs qo`shish” tugmasini bosing (Alt+Insert)."),
"No post has a key or a bundle here yet.": ("Здесь пока нет ни ключей, ни пакетов постов.",
    "Hozircha bu yerda hech bir postning kaliti yoki paketi yo`q."),
"No seized items yet. Press Add item (Alt+Insert).": ("Изъятых товаров пока нет. Нажмите «Добавить товар» (Alt+Insert).",
    "Hozircha olib qo`yilgan tovarlar yo`q. “Tovar qo`shish” tugmasini bosing (Alt+Insert)."),
"No user exists yet: create the first administrator (blo-desk user add --role admin NAME).": (
    "Пользователей пока нет: создайте первого администратора (blo-desk user add --role admin NAME).",
    "Hozircha foydalanuvchi yo`q: birinchi administratorni yarating (blo-desk user add --role admin NAME)."),
"No.": ("№", "№"),
"No. {number}": ("№ {number}", "№ {number}"),
"Not saved": ("Не сохранено", "Saqlanmadi"),
"Not saved: correct the marked fields.": ("Не сохранено: исправьте отмеченные поля.",
    "Saqlanmadi: belgilangan maydonlarni tuzating."),
"Not stated": ("Не указано", "Ko`rsatilmagan"),
"Nothing new to export since bundle {seq}.": ("После пакета {seq} нет новых данных для выгрузки.",
    "{seq}-paketdan keyin eksport qilish uchun yangi ma'lumot yo`q."),
"Number of cases": ("Количество дел", "Ishlar soni"),
"Number of packages": ("Количество грузовых мест", "Yuk o`rinlari soni"),
"OK": ("ОК", "OK"),
"Office: {post} ({code})": ("Офис: {post} ({code})", "Ofis: {post} ({code})"),
"Officer": ("Сотрудник", "Xodim"),
"Officer(s) who carried out the inspection (position, rank, full name)": (
    "Должностные лица, проводившие досмотр (должность, специальное звание, ФИО)",
    "Ko`rikni o`tkazgan mansabdor shaxslar (lavozimi, unvoni, F.I.Sh.)"),
"Officers and legal basis": ("Должностные лица и правовое основание", "Mansabdor shaxslar va huquqiy asos"),
"Only the officer who created this case, or a supervisor, may change it.": (
    "Изменить это дело может только создавший его сотрудник или руководитель.",
    "Bu ishni faqat uni yaratgan xodim yoki rahbar o`zgartirishi mumkin."),
"Open full size": ("Открыть в полном размере", "To`liq o`lchamda ochish"),
"Opening the case store…": ("Открытие хранилища дел…", "Ishlar bazasi ochilmoqda…"),
"Other categories": ("Прочие категории", "Boshqa toifalar"),
"Owner": ("Владелец", "Egasi"),
"PDF file to write": ("PDF-файл для записи", "Yoziladigan PDF fayl"),
"PDF files (*.pdf)": ("Файлы PDF (*.pdf)", "PDF fayllar (*.pdf)"),
"PROTOCOL": ("ПРОТОКОЛ", "BAYONNOMA"),
"Packages": ("Кол-во мест", "Yuk o`rinlari"),
"Packed and sealed with seals No.": ("Упаковано и опломбировано пломбами №", "Qadoqlangan va plombalangan, plombalar №"),
"Packing and seals": ("Упаковка и пломбирование", "Qadoqlash va plombalash"),
"Page {page} of {pages}": ("Страница {page} из {pages}", "{page}-bet, jami {pages}"),
"Passenger": ("Пассажир", "Yo`lovchi"),
"Password changed.": ("Пароль изменён.", "Parol o`zgartirildi."),
"Password: ": ("Пароль: ", "Parol: "),
"Person whose goods were inspected": ("Лицо, товары которого досмотрены", "Tovarlari ko`rikdan o`tkazilgan shaxs"),
"Person {number}": ("Лицо {number}", "{number}-shaxs"),
"Persons": ("Лица", "Shaxslar"),
"Persons present": ("Присутствующие лица", "Ishtirok etgan shaxslar"),
"Photos and scans (*.jpg *.jpeg *.png *.gif *.tif *.tiff *.bmp *.webp *.heic *.pdf);;All files (*)": (
    "Фото и сканы (*.jpg *.jpeg *.png *.gif *.tif *.tiff *.bmp *.webp *.heic *.pdf);;Все файлы (*)",
    "Suratlar va skanlar (*.jpg *.jpeg *.png *.gif *.tif *.tiff *.bmp *.webp *.heic *.pdf);;Barcha fayllar (*)"),
"Place": ("Место", "Joy"),
"Place and method of concealment": ("Место и способ сокрытия", "Yashirish joyi va usuli"),
"Post": ("Пост", "Post"),
}
T2 = {
"Post {post} already sent a different bundle number {seq}; this one is rejected and an alert was raised.": (
    "Пост {post} уже присылал другой пакет с номером {seq}; этот пакет отклонён, создано оповещение.",
    "{post} posti allaqachon {seq} raqamli boshqa paket yuborgan; bu paket rad etildi va ogohlantirish yaratildi."),
"Post {post} is not in the list of posts.": ("Поста {post} нет в списке постов.", "{post} posti postlar ro`yxatida yo`q."),
"Post {post} sent two different bundles numbered {seq} (file {file_name}); only the first was applied.": (
    "Пост {post} прислал два разных пакета с номером {seq} (файл {file_name}); применён только первый.",
    "{post} posti {seq} raqamli ikki xil paket yubordi ({file_name} fayli); faqat birinchisi qo`llanildi."),
"Post {post} set up with key {key_id}.": ("Пост {post} настроен с ключом {key_id}.", "{post} posti {key_id} kaliti bilan sozlandi."),
"Post {post}, key {key_id}": ("Пост {post}, ключ {key_id}", "Post {post}, kalit {key_id}"),
"Posts": ("Посты", "Postlar"),
"Preparing the protocol…": ("Подготовка протокола…", "Bayonnoma tayyorlanmoqda…"),
"Previous section": ("Предыдущий раздел", "Oldingi bo`lim"),
"Printing is possible in {languages}, not in {language}.": ("Печать возможна на языках {languages}, но не на {language}.",
    "Chop etish {languages} tillarida mumkin, {language} tilida emas."),
"Procedure": ("Процедура", "Rejim"),
"Protocol No. {number}": ("Протокол № {number}", "Bayonnoma № {number}"),
"Protocol saved to {path}": ("Протокол сохранён: {path}", "Bayonnoma saqlandi: {path}"),
"Protocol written to {path}": ("Протокол записан: {path}", "Bayonnoma yozildi: {path}"),
"Public key for HQ: {path}": ("Открытый ключ для центрального аппарата: {path}", "Markaziy apparat uchun ochiq kalit: {path}"),
"Quantity": ("Количество", "Miqdor"),
"Quantity / weight": ("Количество / вес", "Miqdori / og`irligi"),
"Ready.": ("Готово.", "Tayyor."),
"Reason": ("Причина", "Sabab"),
"Reason given, or a note that none was given": ("Указанная причина или отметка о том, что причина не указана",
    "Ko`rsatilgan sabab yoki sabab ko`rsatilmagani haqida qayd"),
"Record {line} is a case of post {case_post}, but the bundle comes from post {post}.": (
    "Запись {line} относится к делу поста {case_post}, но пакет получен от поста {post}.",
    "{line}-yozuv {case_post} postining ishi, lekin paket {post} postidan kelgan."),
"Record {line} of the bundle is invalid: the field {field} is missing or wrong.": (
    "Запись {line} пакета недействительна: поле {field} отсутствует или заполнено неверно.",
    "Paketning {line}-yozuvi yaroqsiz: {field} maydoni yo`q yoki noto`g`ri."),
"Record {line} of the bundle: the content hash does not match the case content.": (
    "Запись {line} пакета: хеш содержимого не совпадает с содержимым дела.",
    "Paketning {line}-yozuvi: mazmun xeshi ish mazmuniga mos kelmaydi."),
"Record {line} refers to the photo {sha256}, which the bundle does not carry.": (
    "Запись {line} ссылается на фото {sha256}, которого нет в пакете.",
    "{line}-yozuv paketda mavjud bo`lmagan {sha256} suratiga havola qiladi."),
"Record {line}: case number {case_number} is already held for another case.": (
    "Запись {line}: номер дела {case_number} уже присвоен другому делу.",
    "{line}-yozuv: {case_number} ish raqami allaqachon boshqa ishga tegishli."),
"Refusal to sign": ("Отказ от подписи", "Imzodan bosh tortish"),
"Registration number": ("Регистрационный номер", "Qayd raqami"),
"Registration, wagon or flight": ("Госномер, № вагона или рейса", "Davlat raqami, vagon yoki reys"),
"Remarks": ("Замечания", "Mulohazalar"),
"Remarks and statements of the persons present": ("Замечания и заявления присутствующих лиц",
    "Ishtirok etgan shaxslarning mulohazalari va bayonotlari"),
"Remove item": ("Удалить товар", "Tovarni o`chirish"),
"Remove person": ("Удалить лицо", "Shaxsni o`chirish"),
"Remove photo": ("Удалить фото", "Suratni o`chirish"),
"Removed user {username}.": ("Пользователь {username} удалён.", "{username} foydalanuvchisi o`chirildi."),
"Repeat the new password: ": ("Повторите новый пароль: ", "Yangi parolni takrorlang: "),
"Report generated": ("Отчёт сформирован", "Hisobot tuzilgan vaqt"),
"Report on seizures": ("Отчёт об изъятиях", "Olib qo`yishlar to`g`risida hisobot"),
"Report on seizures, {start} – {end}": ("Отчёт об изъятиях, {start} – {end}", "Olib qo`yishlar to`g`risida hisobot, {start} – {end}"),
"Report written to {path}": ("Отчёт записан: {path}", "Hisobot yozildi: {path}"),
"Revision": ("Редакция", "Versiya"),
"Role": ("Роль", "Roli"),
"Route (from → to)": ("Маршрут (откуда → куда)", "Marshrut (qayerdan → qayerga)"),
"Save": ("Сохранить", "Saqlash"),
"Save the case (drafts are also saved automatically)": ("Сохранить дело (черновики также сохраняются автоматически)",
    "Ishni saqlash (qoralamalar avtomatik ravishda ham saqlanadi)"),
"Save the protocol as PDF": ("Сохранить протокол в PDF", "Bayonnomani PDF sifatida saqlash"),
"Save the protocol of this case as a PDF to print": ("Сохранить протокол этого дела в PDF для печати",
    "Ushbu ish bayonnomasini chop etish uchun PDF sifatida saqlash"),
"Saved at": ("Сохранено", "Saqlangan vaqt"),
"Saved {case_number}, revision {revision}, at {time}.": ("Дело {case_number} сохранено (редакция {revision}) в {time}.",
    "{case_number} ishi saqlandi ({revision}-versiya), {time}."),
"Saving before closing…": ("Сохранение перед закрытием…", "Yopishdan oldin saqlanmoqda…"),
"Saving…": ("Сохранение…", "Saqlanmoqda…"),
"Seals": ("Пломбы", "Plombalar"),
"Search names, documents, plates, items": ("Поиск по именам, документам, госномерам, товарам",
    "Ismlar, hujjatlar, davlat raqamlari, tovarlar bo`yicha qidirish"),
"Seized goods": ("Изъятые товары", "Olib qo`yilgan tovarlar"),
"Seized items": ("Изъятые товары", "Olib qo`yilgan tovarlar"),
"Sex": ("Пол", "Jinsi"),
"Share": ("Доля", "Ulushi"),
"Signatures": ("Подписи", "Imzolar"),
"Something went wrong: {reason}": ("Произошла ошибка: {reason}", "Xatolik yuz berdi: {reason}"),
"Start a new seizure case": ("Завести новое дело об изъятии", "Yangi olib qo`yish ishini boshlash"),
"Start empty": ("Начать с пустого хранилища", "Bo`sh bazadan boshlash"),
"Status": ("Статус", "Holati"),
"Status:": ("Статус:", "Holati:"),
"Supervisor": ("Руководитель", "Rahbar"),
"Suspect": ("Подозреваемый", "Gumonlanuvchi"),
"System": ("Система", "Tizim"),
"Technical means and equipment used": ("Применённые технические средства и оборудование",
    "Qo`llanilgan texnik vositalar va uskunalar"),
"The amount cannot be negative.": ("Значение не может быть отрицательным.", "Son manfiy bo`lishi mumkin emas."),
"The amount is too large.": ("Значение слишком велико.", "Son juda katta."),
"The audit trail ends at event {found} but had {expected} events: the last ones were deleted.": (
    "Журнал аудита заканчивается событием {found}, а событий было {expected}: последние события удалены.",
    "Audit jurnali {found}-hodisada tugaydi, lekin unda {expected} ta hodisa bor edi: oxirgilari o`chirilgan."),
"The audit trail has {count} events but is numbered up to {last}.": (
    "В журнале аудита событий: {count}, но нумерация доходит до {last}.",
    "Audit jurnalida {count} ta hodisa bor, lekin raqamlash {last} gacha boradi."),
"The audit trail has {found} events but its sealed head says {expected}.": (
    "В журнале аудита событий: {found}, но в опечатанной последней записи указано {expected}.",
    "Audit jurnalida {found} ta hodisa bor, lekin muhrlangan oxirgi yozuvda {expected} ko`rsatilgan."),
"The audit trail was tampered with:": ("В журнал аудита внесены несанкционированные изменения:",
    "Audit jurnaliga ruxsatsiz o`zgartirish kiritilgan:"),
"The bundle claims to come from post {post} but is signed by key {key_id}, registered to post {key_post}.": (
    "Пакет заявлен как отправленный постом {post}, но подписан ключом {key_id}, зарегистрированным за постом {key_post}.",
    "Paket {post} postidan kelgan deb ko`rsatilgan, lekin {key_post} postiga ro`yxatdan o`tkazilgan {key_id} kaliti bilan imzolangan."),
"The bundle could not be written to {folder}: {reason}": ("Не удалось записать пакет в {folder}: {reason}",
    "Paketni {folder} papkasiga yozib bo`lmadi: {reason}"),
"The bundle has format version {found}; this version of BLO Desk reads version {supported}.": (
    "Версия формата пакета — {found}; эта версия BLO Desk читает версию {supported}.",
    "Paket formati versiyasi {found}; BLO Deskning ushbu versiyasi {supported} versiyani o`qiydi."),
"The bundle holds a file with an unsafe name: {name}.": ("Пакет содержит файл с небезопасным именем: {name}.",
    "Paketda xavfli nomli fayl bor: {name}."),
"The bundle holds the file {name} twice.": ("Пакет содержит файл {name} дважды.", "Paketda {name} fayli ikki marta bor."),
"The bundle holds the file {name}, which its manifest does not list.": (
    "Пакет содержит файл {name}, которого нет в его манифесте.",
    "Paketda manifestda ko`rsatilmagan {name} fayli bor."),
"The bundle holds {count} files; the limit is {limit}.": ("Файлов в пакете: {count}; допустимо не более {limit}.",
    "Paketda {count} ta fayl bor; chegara — {limit}."),
"The bundle is signed by key {key_id}, which is not in the trust store.": (
    "Пакет подписан ключом {key_id}, которого нет в хранилище доверенных ключей.",
    "Paket ishonchli kalitlar omborida bo`lmagan {key_id} kaliti bilan imzolangan."),
"The bundle is {size_mb} MB; the limit is {limit_mb} MB.": ("Размер пакета — {size_mb} МБ; допустимо не более {limit_mb} МБ.",
    "Paket hajmi {size_mb} MB; chegara — {limit_mb} MB."),
"The bundle lacks the file {name}, which its manifest lists.": ("В пакете отсутствует файл {name}, указанный в его манифесте.",
    "Paketda manifestda ko`rsatilgan {name} fayli yo`q."),
"The bundle was rejected.": ("Пакет отклонён.", "Paket rad etildi."),
"The bundle's signature does not match its manifest: the manifest was altered or signed by another key.": (
    "Подпись пакета не соответствует его манифесту: манифест изменён или подписан другим ключом.",
    "Paket imzosi uning manifestiga mos kelmaydi: manifest o`zgartirilgan yoki boshqa kalit bilan imzolangan."),
"The bundle's signature is missing or not in minisign's format.": ("Подпись пакета отсутствует или не в формате minisign.",
    "Paket imzosi yo`q yoki minisign formatida emas."),
"The case could not be saved: {reason}": ("Не удалось сохранить дело: {reason}", "Ishni saqlab bo`lmadi: {reason}"),
"The case has {count} problem(s); see the marked fields.": ("Ошибок в деле: {count}; см. отмеченные поля.",
    "Ishda {count} ta xato bor; belgilangan maydonlarni ko`ring."),
"The case number is given when the case is first saved.": ("Номер дела присваивается при первом сохранении.",
    "Ish raqami ish birinchi marta saqlanganda beriladi."),
"The case store cannot be opened: {reason}": ("Не удаётся открыть хранилище дел: {reason}", "Ishlar bazasini ochib bo`lmaydi: {reason}"),
"The case was changed elsewhere (revision {stored}); reload it before saving.": (
    "Дело было изменено в другом месте (редакция {stored}); перед сохранением загрузите его заново.",
    "Ish boshqa joyda o`zgartirilgan ({stored}-versiya); saqlashdan oldin uni qayta yuklang."),
"The database refused the bundle's content ({detail}); nothing was applied.": (
    "База данных отклонила содержимое пакета ({detail}); ничего не применено.",
    "Ma'lumotlar bazasi paket mazmunini rad etdi ({detail}); hech narsa qo`llanilmadi."),
"The date and time need a time zone.": ("Для даты и времени нужен часовой пояс.", "Sana va vaqt uchun vaqt mintaqasi kerak."),
"The date is too far in the past.": ("Дата слишком далеко в прошлом.", "Sana o`tmishda juda uzoq."),
"The date of birth cannot be in the future.": ("Дата рождения не может быть в будущем.", "Tug`ilgan sana kelajakda bo`lishi mumkin emas."),
"The file cannot be attached.": ("Не удаётся прикрепить файл.", "Faylni biriktirib bo`lmaydi."),
"The file cannot be attached: {reason}": ("Не удаётся прикрепить файл: {reason}", "Faylni biriktirib bo`lmaydi: {reason}"),
"The file {filename} cannot be read: {reason}": ("Не удаётся прочитать файл {filename}: {reason}",
    "{filename} faylini o`qib bo`lmaydi: {reason}"),
"The file {filename} is empty.": ("Файл {filename} пуст.", "{filename} fayli bo`sh."),
"The file {filename} is not a complete bundle (damaged, truncated or not a bundle at all).": (
    "Файл {filename} не является полным пакетом (повреждён, обрезан или вовсе не является пакетом).",
    "{filename} fayli to`liq paket emas (shikastlangan, kesilgan yoki umuman paket emas)."),
"The file {filename} is not a photo or a scan (JPEG, PNG, TIFF, WebP, HEIC or PDF).": (
    "Файл {filename} не является фото или сканом (JPEG, PNG, TIFF, WebP, HEIC или PDF).",
    "{filename} fayli surat yoki skan emas (JPEG, PNG, TIFF, WebP, HEIC yoki PDF)."),
"The file {filename} is too large ({size_mb} MB); the limit is {limit_mb} MB.": (
    "Файл {filename} слишком велик ({size_mb} МБ); допустимо не более {limit_mb} МБ.",
    "{filename} fayli juda katta ({size_mb} MB); chegara — {limit_mb} MB."),
"The file {name} in the bundle does not match its manifest (size or SHA-256 differs).": (
    "Файл {name} в пакете не соответствует манифесту (отличается размер или SHA-256).",
    "Paketdagi {name} fayli manifestga mos kelmaydi (hajmi yoki SHA-256 farq qiladi)."),
"The file {name} in the bundle expands {ratio} times, beyond the limit of {limit} (a zip bomb?).": (
    "Файл {name} в пакете при распаковке увеличивается в {ratio} раз, что больше предела {limit} (zip-бомба?).",
    "Paketdagi {name} fayli ochilganda {ratio} marta kattalashadi, bu {limit} chegarasidan ortiq (zip-bomba?)."),
"The file {name} in the bundle is damaged or inflates beyond its stated size.": (
    "Файл {name} в пакете повреждён или при распаковке превышает заявленный размер.",
    "Paketdagi {name} fayli shikastlangan yoki ochilganda ko`rsatilgan hajmidan oshib ketadi."),
"The file {name} in the bundle is encrypted, a folder, or uses an unsupported compression.": (
    "Файл {name} в пакете зашифрован, является папкой или использует неподдерживаемое сжатие.",
    "Paketdagi {name} fayli shifrlangan, papka yoki qo`llab-quvvatlanmaydigan siqish usulidan foydalanadi."),
"The file {name} in the bundle is {size} bytes; the limit is {limit} bytes.": (
    "Размер файла {name} в пакете — {size} байт; допустимо не более {limit} байт.",
    "Paketdagi {name} fayli hajmi {size} bayt; chegara — {limit} bayt."),
"The first user of a store must be an administrator (--role admin).": (
    "Первым пользователем хранилища должен быть администратор (--role admin).",
    "Bazaning birinchi foydalanuvchisi administrator bo`lishi kerak (--role admin)."),
"The first {listed} of {total} cases are listed; export the data for the full list.": (
    "Показаны первые {listed} из {total} дел; для полного списка выгрузите данные.",
    "{total} ta ishdan birinchi {listed} tasi ko`rsatilgan; to`liq ro`yxat uchun ma'lumotlarni eksport qiling."),
"The key file is not in minisign's format.": ("Файл ключа не в формате minisign.", "Kalit fayli minisign formatida emas."),
"The key file {path} cannot be read: {reason}": ("Не удаётся прочитать файл ключа {path}: {reason}",
    "{path} kalit faylini o`qib bo`lmaydi: {reason}"),
"The key id {key_id} is not 16 hexadecimal digits.": ("Идентификатор ключа {key_id} не состоит из 16 шестнадцатеричных цифр.",
    "{key_id} kalit identifikatori 16 ta o`n oltilik raqamdan iborat emas."),
"The last administrator cannot be removed or demoted.": ("Последнего администратора нельзя удалить или понизить в роли.",
    "Oxirgi administratorni o`chirib yoki rolini pasaytirib bo`lmaydi."),
"The last audit event differs from the sealed head.": ("Последнее событие аудита отличается от опечатанной последней записи.",
    "Oxirgi audit hodisasi muhrlangan oxirgi yozuvdan farq qiladi."),
"The manifest announces {expected} records but the bundle holds {found}.": (
    "В манифесте заявлено записей: {expected}, а в пакете — {found}.",
    "Manifestda {expected} ta yozuv ko`rsatilgan, lekin paketda {found} ta."),
"The manifest field {field} is missing or invalid.": ("Поле манифеста {field} отсутствует или недействительно.",
    "Manifestning {field} maydoni yo`q yoki yaroqsiz."),
"The number of packages cannot be negative.": ("Количество грузовых мест не может быть отрицательным.",
    "Yuk o`rinlari soni manfiy bo`lishi mumkin emas."),
"The open case has changes that are not saved. Discard them?": ("В открытом деле есть несохранённые изменения. Отменить их?",
    "Ochiq ishda saqlanmagan o`zgarishlar bor. Ular bekor qilinsinmi?"),
"The operation could not be completed.": ("Не удалось выполнить операцию.", "Amalni bajarib bo`lmadi."),
"The password must have at least {min_length} characters.": ("Минимальная длина пароля (символов): {min_length}.",
    "Parol kamida {min_length} ta belgidan iborat bo`lishi kerak."),
"The person refused to sign the protocol": ("Лицо от подписи протокола отказалось", "Shaxs bayonnomani imzolashdan bosh tortdi"),
"The photo cannot be shown: {reason}": ("Не удаётся показать фото: {reason}", "Suratni ko`rsatib bo`lmaydi: {reason}"),
"The post's secret key {path} cannot be used: {reason}": ("Секретный ключ поста {path} не может быть использован: {reason}",
    "Postning {path} maxfiy kalitidan foydalanib bo`lmaydi: {reason}"),
"The post's secret key {path} does not belong to the post's registered key {key_id}.": (
    "Секретный ключ поста {path} не соответствует зарегистрированному ключу поста {key_id}.",
    "Postning {path} maxfiy kaliti postning ro`yxatdan o`tgan {key_id} kalitiga tegishli emas."),
"The post's secret key {path} is readable by other users; allow only its owner (permissions 0600).": (
    "Секретный ключ поста {path} доступен для чтения другим пользователям; оставьте доступ только владельцу (права 0600).",
    "Postning {path} maxfiy kalitini boshqa foydalanuvchilar o`qiy oladi; faqat egasiga ruxsat bering (0600 huquqlari)."),
"The public key file is not in minisign's format.": ("Файл открытого ключа не в формате minisign.", "Ochiq kalit fayli minisign formatida emas."),
"The quantity must be greater than zero.": ("Количество должно быть больше нуля.", "Miqdor noldan katta bo`lishi kerak."),
"The report period must end on or after its first day ({start} – {end}).": (
    "Отчётный период не может заканчиваться раньше своего первого дня ({start} – {end}).",
    "Hisobot davri birinchi kunidan oldin tugashi mumkin emas ({start} – {end})."),
"The seal of the audit trail's head is wrong: it was edited.": ("Печать последней записи журнала аудита неверна: запись была изменена.",
    "Audit jurnali oxirgi yozuvining muhri noto`g`ri: u tahrirlangan."),
"The sealed head of the audit trail is missing.": ("Опечатанная последняя запись журнала аудита отсутствует.",
    "Audit jurnalining muhrlangan oxirgi yozuvi yo`q."),
"The secret key file is damaged (checksum mismatch).": ("Файл секретного ключа повреждён (не совпадает контрольная сумма).",
    "Maxfiy kalit fayli shikastlangan (nazorat yig`indisi mos emas)."),
"The secret key file is not in minisign's format.": ("Файл секретного ключа не в формате minisign.", "Maxfiy kalit fayli minisign formatida emas."),
"The secret key is protected by a password; BLO Desk needs an unencrypted key.": (
    "Секретный ключ защищён паролем; BLO Desk требуется незашифрованный ключ.",
    "Maxfiy kalit parol bilan himoyalangan; BLO Desk uchun shifrlanmagan kalit kerak."),
"The seizure cannot be in the future.": ("Дата изъятия не может быть в будущем.", "Olib qo`yish sanasi kelajakda bo`lishi mumkin emas."),
"The signature's trusted comment does not name post {post} and bundle {seq} as the manifest does.": (
    "В доверенном комментарии подписи не указаны пост {post} и пакет {seq}, как в манифесте.",
    "Imzoning ishonchli izohida manifestdagidek {post} posti va {seq}-paket ko`rsatilmagan."),
"The store is encrypted: log in with your username and password to open it.": (
    "Хранилище зашифровано: чтобы открыть его, войдите под своим именем пользователя и паролем.",
    "Baza shifrlangan: uni ochish uchun foydalanuvchi nomingiz va parolingiz bilan kiring."),
"The stored photo {sha256} no longer matches its hash; the export was stopped.": (
    "Сохранённое фото {sha256} больше не соответствует своему хешу; выгрузка остановлена.",
    "Saqlangan {sha256} surati endi o`z xeshiga mos kelmaydi; eksport to`xtatildi."),
"The two passwords differ.": ("Пароли не совпадают.", "Parollar mos kelmaydi."),
"The witnesses were told of their right to take part in the inspection and to make remarks.": (
    "Понятым разъяснено их право участвовать в досмотре и делать замечания.",
    "Xolislarga ko`rikda ishtirok etish va mulohaza bildirish huquqi tushuntirildi."),
"There are no cases yet. Load the demo cases (including the Dustlik case) to try BLO Desk?": (
    "Дел пока нет. Загрузить демо-дела (включая дело «Дустлик»), чтобы опробовать BLO Desk?",
    "Hozircha ishlar yo`q. BLO Deskni sinab ko`rish uchun namuna ishlar (jumladan, “Do`stlik” ishi) yuklansinmi?"),
"There is no user named {username}.": ("Пользователя {username} не существует.", "{username} nomli foydalanuvchi yo`q."),
"This case belongs to post {post}; you work at post {own_post}.": ("Это дело относится к посту {post}; вы работаете на посту {own_post}.",
    "Bu ish {post} postiga tegishli; siz {own_post} postida ishlaysiz."),
"This data file was written by a newer version of BLO Desk (schema {found}). Install the newer version; the file was left untouched.": (
    "Этот файл данных записан более новой версией BLO Desk (схема {found}). Установите новую версию; файл не изменён.",
    "Bu ma'lumotlar fayli BLO Deskning yangiroq versiyasida yozilgan ({found} sxema). Yangi versiyani o`rnating; fayl o`zgartirilmadi."),
"This date does not exist.": ("Такой даты не существует.", "Bunday sana mavjud emas."),
"This installation has no post identity yet; set up the post (code and signing key) first.": (
    "Для этой установки ещё не задан пост; сначала настройте пост (код и ключ подписи).",
    "Ushbu o`rnatma uchun hali post belgilanmagan; avval postni sozlang (kod va imzo kaliti)."),
"This installation is already set up as post {post} with key {key_id}.": (
    "Эта установка уже настроена как пост {post} с ключом {key_id}.",
    "Ushbu o`rnatma allaqachon {key_id} kaliti bilan {post} posti sifatida sozlangan."),
"This installation is not set up as a post yet.": ("Эта установка ещё не настроена как пост.",
    "Ushbu o`rnatma hali post sifatida sozlanmagan."),
"This is not a BLO Desk check code.": ("Это не контрольный код BLO Desk.", "Bu BLO Desk nazorat kodi emas."),
"This text contains control characters.": ("Текст содержит управляющие символы.", "Matnda boshqaruv belgilari bor."),
"This text is too long (at most {limit} characters).": ("Текст слишком длинный (допустимо символов: не более {limit}).",
    "Matn juda uzun (ko`pi bilan {limit} ta belgi)."),
"Time (HH:MM)": ("Время (ЧЧ:ММ)", "Vaqt (SS:DD)"),
"To country": ("Страна назначения", "Belgilangan mamlakat"),
"To:": ("По:", "Gacha:"),
"Too many items (at most {limit}).": ("Слишком много товаров (не более {limit}).", "Tovarlar juda ko`p (ko`pi bilan {limit} ta)."),
"Too many persons (at most {limit}).": ("Слишком много лиц (не более {limit}).", "Shaxslar juda ko`p (ko`pi bilan {limit} ta)."),
"Too many wrong passwords: this account is locked for {minutes} more minute(s).": (
    "Слишком много неверных паролей: учётная запись заблокирована ещё на {minutes} мин.",
    "Noto`g`ri parol juda ko`p kiritildi: hisob yana {minutes} daqiqaga bloklandi."),
"Total": ("Итого", "Jami"),
"Totals by commodity category": ("Итоги по категориям товаров", "Tovar toifalari bo`yicha jami"),
"Totals by month": ("Итоги по месяцам", "Oylar bo`yicha jami"),
"Totals by post": ("Итоги по постам", "Postlar bo`yicha jami"),
"Transit": ("Транзит", "Tranzit"),
"Transport and shipping documents presented": ("Представленные транспортные и товаросопроводительные документы",
    "Taqdim etilgan transport va tovar hujjatlari"),
"Type of conveyance": ("Вид транспортного средства", "Transport vositasi turi"),
"Unit": ("Ед. изм.", "O`lchov birligi"),
"Unknown case: no case with id {case_id} is held here.": ("Неизвестное дело: дела с идентификатором {case_id} здесь нет.",
    "Noma'lum ish: bu yerda {case_id} identifikatorli ish yo`q."),
"Unknown crossing point {code}.": ("Неизвестный пункт пропуска {code}.", "Noma'lum o`tkazish punkti {code}."),
"Unknown revision: case {case_number} is held, but not its revision {revision}.": (
    "Неизвестная редакция: дело {case_number} имеется, но его редакции {revision} нет.",
    "Noma'lum versiya: {case_number} ishi mavjud, lekin uning {revision}-versiyasi yo`q."),
"Unknown role {role}; choose officer, supervisor, analyst or admin.": (
    "Неизвестная роль {role}; выберите officer, supervisor, analyst или admin.",
    "Noma'lum rol {role}; officer, supervisor, analyst yoki admin ni tanlang."),
"Unknown value {code}.": ("Неизвестное значение {code}.", "Noma'lum qiymat {code}."),
"Unlocked user {username}.": ("Пользователь {username} разблокирован.", "{username} foydalanuvchisi blokdan chiqarildi."),
"Unsaved changes": ("Несохранённые изменения", "Saqlanmagan o`zgarishlar"),
"Unsaved work from the last session was restored; save it or discard it.": (
    "Несохранённые данные прошлого сеанса восстановлены; сохраните или отмените их.",
    "Oldingi seansning saqlanmagan ishi tiklandi; uni saqlang yoki bekor qiling."),
"Use a three-letter currency code (for example UZS).": ("Укажите трёхбуквенный код валюты (например, UZS).",
    "Uch harfli valyuta kodini kiriting (masalan, UZS)."),
"Use a two-letter country code (for example UZ).": ("Укажите двухбуквенный код страны (например, UZ).",
    "Ikki harfli mamlakat kodini kiriting (masalan, UZ)."),
"Username: ": ("Имя пользователя: ", "Foydalanuvchi nomi: "),
"Value": ("Стоимость", "Qiymati"),
"Witness": ("Понятой", "Xolis"),
"Witness {number}": ("Понятой {number}", "{number}-xolis"),
"Witnesses": ("Понятые", "Xolislar"),
"Wrong username or password.": ("Неверное имя пользователя или пароль.", "Foydalanuvchi nomi yoki parol noto`g`ri."),
"Wrote {count} screenshots to {path}": ("Снимки экрана ({count}) записаны в {path}", "{count} ta skrinshot yozildi: {path}"),
"Yes": ("Да", "Ha"),
"You are not allowed to do this.": ("У вас нет прав на это действие.", "Sizga bu amalni bajarishga ruxsat yo`q."),
"Your role ({role}) does not allow this: {action}.": ("Ваша роль ({role}) не позволяет выполнить это действие: {action}.",
    "Sizning rolingiz ({role}) bunga ruxsat bermaydi: {action}."),
}
T3 = {
"a period report on seizures (PDF) for supervisors": ("отчёт об изъятиях за период (PDF) для руководителей",
    "rahbarlar uchun davr bo`yicha olib qo`yishlar hisoboti (PDF)"),
"acknowledged": ("подтверждён", "tasdiqlangan"),
"active": ("активен", "faol"),
"add a user (on a new store: the first administrator)": ("добавить пользователя (в новом хранилище — первого администратора)",
    "foydalanuvchi qo`shish (yangi bazada — birinchi administrator)"),
"add users, change passwords, list and remove users": ("добавление пользователей, смена паролей, список и удаление пользователей",
    "foydalanuvchilarni qo`shish, parollarni o`zgartirish, ro`yxatini ko`rish va o`chirish"),
"also add N synthetic cases": ("дополнительно добавить N синтетических дел", "qo`shimcha ravishda N ta sintetik ish qo`shish"),
"any date": ("любая дата", "istalgan sana"),
"case id or case number": ("идентификатор или номер дела", "ish identifikatori yoki raqami"),
"change your password, or (admin) set another user's": ("сменить свой пароль или (администратор) задать пароль другого пользователя",
    "o`z parolingizni o`zgartirish yoki (administrator) boshqa foydalanuvchi parolini o`rnatish"),
"check a bundle completely without importing it": ("полностью проверить пакет без импорта",
    "paketni import qilmasdan to`liq tekshirish"),
"check a printed protocol's check code against the store": ("сверить контрольный код напечатанного протокола с хранилищем",
    "chop etilgan bayonnomaning nazorat kodini baza bilan solishtirish"),
"check a username and password": ("проверить имя пользователя и пароль", "foydalanuvchi nomi va parolni tekshirish"),
"check and read the audit trail": ("проверка и просмотр журнала аудита", "audit jurnalini tekshirish va o`qish"),
"check the hash chain; exit code 1 when it was tampered with": (
    "проверить цепочку хешей; код выхода 1 при несанкционированном изменении",
    "xesh zanjirini tekshirish; ruxsatsiz o`zgartirilgan bo`lsa, chiqish kodi 1"),
"crossing point code, e.g. UZ-DUS": ("код пункта пропуска, например UZ-DUS", "o`tkazish punkti kodi, masalan UZ-DUS"),
"database URL (default: a SQLite file in the data folder)": ("URL базы данных (по умолчанию: файл SQLite в папке данных)",
    "ma'lumotlar bazasi URL manzili (standart: ma'lumotlar papkasidagi SQLite fayli)"),
"date": ("дата", "sana"),
"each post's last bundle, gaps and alerts": ("последний пакет каждого поста, пропуски и оповещения",
    "har bir postning oxirgi paketi, uzilishlar va ogohlantirishlar"),
"export every revision again (for a lost stick)": ("выгрузить все редакции заново (при утере флешки)",
    "barcha versiyalarni qayta eksport qilish (fleshka yo`qolgan bo`lsa)"),
"export, import and verify signed sync bundles": ("выгрузка, загрузка и проверка подписанных пакетов синхронизации",
    "imzolangan sinxronlash paketlarini eksport, import qilish va tekshirish"),
"first day, e.g. 2024-01-01": ("первый день, например 2024-01-01", "birinchi kun, masalan 2024-01-01"),
"folder for the PNG files": ("папка для PNG-файлов", "PNG fayllar uchun papka"),
"folder for the store, photos and keys (default: the user's data folder)": (
    "папка для хранилища, фото и ключей (по умолчанию: папка данных пользователя)",
    "baza, suratlar va kalitlar uchun papka (standart: foydalanuvchi ma'lumotlari papkasi)"),
"folder or stick to write to (default: the outbox in the data folder)": (
    "папка или флешка для записи (по умолчанию: папка исходящих в папке данных)",
    "yoziladigan papka yoki fleshka (standart: ma'lumotlar papkasidagi chiquvchilar papkasi)"),
"folder to write the .pub file to (default: print it)": ("папка для записи файла .pub (по умолчанию: вывести на экран)",
    ".pub faylini yozish uchun papka (standart: ekranga chiqarish)"),
"full name": ("ФИО", "F.I.Sh."),
"full-text search over names, documents, plates, items and narrative": (
    "полнотекстовый поиск по именам, документам, госномерам, товарам и фабуле",
    "ismlar, hujjatlar, davlat raqamlari, tovarlar va holat bayoni bo`yicha to`liq matnli qidiruv"),
"give this installation a post code and a new signing key": ("присвоить этой установке код поста и новый ключ подписи",
    "ushbu o`rnatmaga post kodi va yangi imzo kalitini berish"),
"have {held}; none missing": ("получены {held}; пропусков нет", "mavjud: {held}; yetishmaydiganlari yo`q"),
"have {held}; {missing} are missing": ("получены {held}; отсутствуют {missing}", "mavjud: {held}; {missing} yetishmaydi"),
"have {held}; {missing} is missing": ("получены {held}; отсутствует {missing}", "mavjud: {held}; {missing} yetishmaydi"),
"include acknowledged bundles": ("включая подтверждённые пакеты", "tasdiqlangan paketlarni ham ko`rsatish"),
"include removed users": ("включая удалённых пользователей", "o`chirilgan foydalanuvchilarni ham ko`rsatish"),
"language of messages and printouts": ("язык сообщений и печатных форм", "xabarlar va chop etiladigan hujjatlar tili"),
"language of the form (uz+ru: both on one page)": ("язык бланка (uz+ru: оба на одной странице)",
    "blanka tili (uz+ru: ikkalasi bir sahifada)"),
"language of the report": ("язык отчёта", "hisobot tili"),
"last day, e.g. 2024-12-31": ("последний день, например 2024-12-31", "oxirgi kun, masalan 2024-12-31"),
"leave draft cases out": ("не включать черновики", "qoralamalarni kiritmaslik"),
"list bundles exported and not yet acknowledged by HQ": ("список выгруженных пакетов, ещё не подтверждённых центральным аппаратом",
    "eksport qilingan va markaziy apparat hali tasdiqlamagan paketlar ro`yxati"),
"list cases, newest first": ("список дел, сначала новые", "ishlar ro`yxati, avval yangilari"),
"list open alerts": ("список открытых оповещений", "ochiq ogohlantirishlar ro`yxati"),
"list trusted keys": ("список доверенных ключей", "ishonchli kalitlar ro`yxati"),
"list users": ("список пользователей", "foydalanuvchilar ro`yxati"),
"list, search and show cases": ("список, поиск и просмотр дел", "ishlar ro`yxati, qidiruv va ko`rish"),
"load the demo cases (including the Dustlik case)": ("загрузить демо-дела (включая дело «Дустлик»)",
    "namuna ishlarni yuklash (jumladan, “Do`stlik” ishini)"),
"log in as this user (password from BLO_DESK_PASSWORD or asked)": (
    "войти под этим пользователем (пароль из BLO_DESK_PASSWORD или по запросу)",
    "ushbu foydalanuvchi sifatida kirish (parol BLO_DESK_PASSWORD dan olinadi yoki so`raladi)"),
"mark bundles up to this number as received by HQ": ("отметить пакеты до этого номера как полученные центральным аппаратом",
    "shu raqamgacha bo`lgan paketlarni markaziy apparat olgan deb belgilash"),
"no bundle yet": ("пакетов пока нет", "hozircha paket yo`q"),
"of customs inspection and seizure of goods": ("таможенного досмотра и изъятия товаров",
    "tovarlarni bojxona ko`rigidan o`tkazish va olib qo`yish to`g`risida"),
"only events about this target, e.g. case:<id>": ("только события по этому объекту, например case:<id>",
    "faqat shu obyektga oid hodisalar, masalan case:<id>"),
"only this language": ("только этот язык", "faqat shu til"),
"only this post (repeat for several)": ("только этот пост (повторите для нескольких)", "faqat shu post (bir nechtasi uchun takrorlang)"),
"print a case's protocol to a PDF file": ("напечатать протокол дела в PDF-файл", "ish bayonnomasini PDF faylga chop etish"),
"print one case as JSON": ("вывести одно дело в формате JSON", "bitta ishni JSON ko`rinishida chiqarish"),
"print the chain's length and last hash": ("вывести длину цепочки и последний хеш", "zanjir uzunligi va oxirgi xeshni chiqarish"),
"print the latest events": ("вывести последние события", "oxirgi hodisalarni chiqarish"),
"refuse a key's bundles from a sequence number on": ("отклонять пакеты ключа начиная с порядкового номера",
    "kalit paketlarini tartib raqamidan boshlab rad etish"),
"register a post's public key (minisign .pub file)": ("зарегистрировать открытый ключ поста (файл minisign .pub)",
    "postning ochiq kalitini ro`yxatdan o`tkazish (minisign .pub fayli)"),
"remove a user and their key to the store": ("удалить пользователя и его ключ к хранилищу",
    "foydalanuvchini va uning bazaga kirish kalitini o`chirish"),
"removed": ("удалён", "o`chirilgan"),
"render the main screens in each language to PNG files": ("отрисовать основные экраны на каждом языке в PNG-файлы",
    "asosiy ekranlarni har bir tilda PNG fayllarga chiqarish"),
"revoked from {seq}": ("отозван с пакета {seq}", "{seq}-paketdan boshlab bekor qilingan"),
"run the built-in self-test and exit": ("выполнить встроенную самопроверку и выйти",
    "o`rnatilgan o`z-o`zini tekshirishni bajarish va chiqish"),
"set up this installation as a post and show its key": ("настройка установки как поста и показ её ключа",
    "ushbu o`rnatmani post sifatida sozlash va uning kalitini ko`rsatish"),
"show the post code and the key id": ("показать код поста и идентификатор ключа", "post kodi va kalit identifikatorini ko`rsatish"),
"signature": ("подпись", "imzo"),
"the check code printed under the QR code (or read from it)": ("контрольный код, напечатанный под QR-кодом (или считанный с него)",
    "QR-kod ostida chop etilgan (yoki undan o`qilgan) nazorat kodi"),
"the protocol of customs inspection and seizure of one case": ("протокол таможенного досмотра и изъятия по одному делу",
    "bitta ish bo`yicha bojxona ko`rigi va olib qo`yish bayonnomasi"),
"the trust store of post keys": ("хранилище доверенных ключей постов", "postlar kalitlarining ishonchli ombori"),
"unlock a user locked out by wrong passwords": ("разблокировать пользователя, заблокированного из-за неверных паролей",
    "noto`g`ri parollar tufayli bloklangan foydalanuvchini blokdan chiqarish"),
"verify and import bundles (files or folders)": ("проверить и импортировать пакеты (файлы или папки)",
    "paketlarni tekshirish va import qilish (fayllar yoki papkalar)"),
"waiting": ("ожидает", "kutilmoqda"),
"write every case revision since the last bundle to a signed bundle": (
    "записать все редакции дел после последнего пакета в подписанный пакет",
    "oxirgi paketdan keyingi barcha ish versiyalarini imzolangan paketga yozish"),
"write the public key (minisign format) for HQ": ("записать открытый ключ (формат minisign) для центрального аппарата",
    "markaziy apparat uchun ochiq kalitni yozish (minisign formati)"),
"{case_number} · {status} · created {created}": ("{case_number} · {status} · создано {created}",
    "{case_number} · {status} · yaratilgan: {created}"),
"{count} (of which drafts: {drafts})": ("{count} (из них черновиков: {drafts})", "{count} (shundan qoralamalar: {drafts})"),
"{count} alerts": ("Оповещений: {count}", "{count} ta ogohlantirish"),
"{count} bundles": ("Пакетов: {count}", "{count} ta paket"),
"{count} bundles acknowledged": ("Подтверждено пакетов: {count}", "{count} ta paket tasdiqlandi"),
"{count} case": (("{count} дело", "{count} дела", "{count} дел"), ("{count} ta ish", "{count} ta ish")),
"{count} case found for “{text}”": (
    ("Найдено {count} дело по запросу «{text}»", "Найдено {count} дела по запросу «{text}»", "Найдено {count} дел по запросу «{text}»"),
    ("“{text}” bo`yicha {count} ta ish topildi", "“{text}” bo`yicha {count} ta ish topildi")),
"{count} finalized case(s) were left open for change.": ("Завершённых дел, оставленных открытыми для изменения: {count}.",
    "{count} ta yakunlangan ish o`zgartirish uchun ochiq qoldirilgan."),
"{file}{where}: already imported, nothing changed": ("{file}{where}: уже импортирован, изменений нет",
    "{file}{where}: allaqachon import qilingan, hech narsa o`zgarmadi"),
"{file}{where}: imported: {new} new, {updated} updated, {unchanged} unchanged cases; {photos} new photos": (
    "{file}{where}: импортировано дел: новых — {new}, обновлённых — {updated}, без изменений — {unchanged}; новых фото — {photos}",
    "{file}{where}: import qilindi: {new} ta yangi, {updated} ta yangilangan, {unchanged} ta o`zgarmagan ish; {photos} ta yangi surat"),
"{file}{where}: rejected: {reason}": ("{file}{where}: отклонён: {reason}", "{file}{where}: rad etildi: {reason}"),
"{file}{where}: valid, {records} records": ("{file}{where}: действителен, записей: {records}", "{file}{where}: yaroqli, {records} ta yozuv"),
"{first} and {last}": ("{first} и {last}", "{first} va {last}"),
"{name}, line {line}: NaN and infinity are not allowed.": ("{name}, строка {line}: NaN и бесконечность недопустимы.",
    "{name}, {line}-qator: NaN va cheksizlikka yo`l qo`yilmaydi."),
"{name}, line {line}: a number of {digits} characters is longer than the limit of {limit}.": (
    "{name}, строка {line}: число из {digits} знаков длиннее предела ({limit}).",
    "{name}, {line}-qator: {digits} belgili son {limit} chegarasidan uzun."),
"{name}, line {line}: nested deeper than the limit of {limit} levels.": (
    "{name}, строка {line}: глубина вложенности превышает предел ({limit}).",
    "{name}, {line}-qator: ichma-ichlik {limit} daraja chegarasidan chuqur."),
"{name}, line {line}: not valid JSON ({detail}).": ("{name}, строка {line}: недопустимый JSON ({detail}).",
    "{name}, {line}-qator: yaroqsiz JSON ({detail})."),
"{name}, line {line}: not valid JSON.": ("{name}, строка {line}: недопустимый JSON.", "{name}, {line}-qator: yaroqsiz JSON."),
"{name}, line {line}: the key {key} appears twice.": ("{name}, строка {line}: ключ {key} встречается дважды.",
    "{name}, {line}-qator: {key} kaliti ikki marta uchraydi."),
"{name}, line {line}: the line is longer than the limit of {limit} bytes.": (
    "{name}, строка {line}: длина строки превышает предел в {limit} байт.",
    "{name}, {line}-qator: qator uzunligi {limit} bayt chegarasidan oshadi."),
"{region} region": ("Регион: {region}", "{region} viloyati"),
"{row}, {field}: {message}": ("{row}, {field}: {message}", "{row}, {field}: {message}"),
"{shown} of {total} cases": ("Показано дел: {shown} из {total}", "{total} ta ishdan {shown} tasi"),
"{start} – {end}": ("{start} – {end}", "{start} – {end}"),
"{value} is not a date like 2024-04-30": ("{value} — не дата в формате 2024-04-30", "{value} 2024-04-30 ko`rinishidagi sana emas"),
}
T4 = {
"&Add…": ("&Добавить…", "&Qo`shish…"),
"&Back": ("&Назад", "&Orqaga"),
"&Crossing point of this office:": ("&Пункт пропуска этого офиса:", "Ushbu ofisning o`tkazish &punkti:"),
"&Finish": ("&Готово", "&Tayyor"),
"&Language:": ("&Язык:", "&Til:"),
"&Log in": ("&Войти", "&Kirish"),
"&Next": ("&Далее", "&Keyingi"),
"&Password:": ("&Пароль:", "&Parol:"),
"&Reset password…": ("&Сбросить пароль…", "Parolni &tiklash…"),
"&Settings…": ("&Настройки…", "&Sozlamalar…"),
"&Username:": ("&Имя пользователя:", "&Foydalanuvchi nomi:"),
"&Users…": ("&Пользователи…", "&Foydalanuvchilar…"),
"A post code is two country letters, a dash and 2 to 12 letters or digits, e.g. UZ-DUS.": (
    "Код поста — две буквы страны, дефис и от 2 до 12 букв или цифр, например UZ-DUS.",
    "Post kodi mamlakatning ikki harfi, chiziqcha va 2 tadan 12 tagacha harf yoki raqamdan iborat, masalan UZ-DUS."),
"Add a user": ("Добавление пользователя", "Foydalanuvchi qo`shish"),
"Add users, reset passwords, unlock, remove": ("Добавление пользователей, сброс паролей, разблокировка, удаление",
    "Foydalanuvchilarni qo`shish, parollarni tiklash, blokdan chiqarish, o`chirish"),
"Another crossing point (not in the list)": ("Другой пункт пропуска (нет в списке)", "Boshqa o`tkazish punkti (ro`yxatda yo`q)"),
"BLO Desk": ("BLO Desk", "BLO Desk"),
"BLO Desk — first start": ("BLO Desk — первый запуск", "BLO Desk — birinchi ishga tushirish"),
"BLO Desk — log in": ("BLO Desk — вход", "BLO Desk — tizimga kirish"),
"BLO Desk — self-test": ("BLO Desk — самопроверка", "BLO Desk — o`z-o`zini tekshirish"),
"Change &password…": ("Сменить па&роль…", "&Parolni o`zgartirish…"),
"Change password": ("Смена пароля", "Parolni o`zgartirish"),
"Checking the password…": ("Проверка пароля…", "Parol tekshirilmoqda…"),
"Choose from the list of crossing points": ("Выбрать из списка пунктов пропуска", "O`tkazish punktlari ro`yxatidan tanlash"),
"Choose the crossing point of this office.": ("Выберите пункт пропуска этого офиса.", "Ushbu ofisning o`tkazish punktini tanlang."),
"Code:": ("Код:", "Kod:"),
"Creating the encrypted store and the post's signing key…": ("Создание зашифрованного хранилища и ключа подписи поста…",
    "Shifrlangan baza va postning imzo kaliti yaratilmoqda…"),
"Current password:": ("Текущий пароль:", "Joriy parol:"),
"Demo cases": ("Демо-дела", "Namuna ishlar"),
"First start: step {step} of {steps}": ("Первый запуск: шаг {step} из {steps}", "Birinchi ishga tushirish: {steps} qadamdan {step}-qadam"),
"Full name:": ("ФИО:", "F.I.Sh.:"),
"Give a username.": ("Укажите имя пользователя.", "Foydalanuvchi nomini kiriting."),
"Give the name of the new crossing point.": ("Укажите название нового пункта пропуска.", "Yangi o`tkazish punktining nomini kiriting."),
"Language": ("Язык", "Til"),
"Language, and the crossing point of this office": ("Язык и пункт пропуска этого офиса", "Til va ushbu ofisning o`tkazish punkti"),
"Last login": ("Последний вход", "Oxirgi kirish"),
"Load the demo cases": ("Загрузить демо-дела", "Namuna ishlarni yuklash"),
"Logged in: {user}": ("Вход выполнен: {user}", "Tizimda: {user}"),
"Name:": ("Название:", "Nomi:"),
"New password again:": ("Новый пароль ещё раз:", "Yangi parol (takroran):"),
"New password for {username}": ("Новый пароль для {username}", "{username} uchun yangi parol"),
"New password:": ("Новый пароль:", "Yangi parol:"),
"Only an administrator changes the crossing point.": ("Пункт пропуска может изменить только администратор.",
    "O`tkazish punktini faqat administrator o`zgartiradi."),
"Opening…": ("Открытие…", "Ochilmoqda…"),
"Password again:": ("Пароль ещё раз:", "Parol (takroran):"),
"Password:": ("Пароль:", "Parol:"),
"Post: {post}": ("Пост: {post}", "Post: {post}"),
"Public key: {key}": ("Открытый ключ: {key}", "Ochiq kalit: {key}"),
"Re&move…": ("&Удалить…", "&O`chirish…"),
"Remove": ("Удалить", "O`chirish"),
"Remove user": ("Удаление пользователя", "Foydalanuvchini o`chirish"),
"Remove {username}? Their password will no longer open the store.": (
    "Удалить пользователя {username}? Его пароль больше не будет открывать хранилище.",
    "{username} o`chirilsinmi? Uning paroli bilan bazani endi ochib bo`lmaydi."),
"Role:": ("Роль:", "Roli:"),
"Seizure case logger for Border Liaison Offices. Log in to open the case store.": (
    "Журнал дел об изъятиях для пограничных офисов связи. Войдите, чтобы открыть хранилище дел.",
    "Chegara aloqa ofislari uchun olib qo`yish ishlari jurnali. Ishlar bazasini ochish uchun tizimga kiring."),
"Self-test: store, administrator, case, protocol, bundle…": ("Самопроверка: хранилище, администратор, дело, протокол, пакет…",
    "O`z-o`zini tekshirish: baza, administrator, ish, bayonnoma, paket…"),
"Settings": ("Настройки", "Sozlamalar"),
"Settings saved.": ("Настройки сохранены.", "Sozlamalar saqlandi."),
"State": ("Состояние", "Holati"),
"The administrator manages users, the post and its keys. The case store is encrypted: only users with a password can open it.": (
    "Администратор управляет пользователями, постом и его ключами. Хранилище дел зашифровано: открыть его могут только пользователи с паролем.",
    "Administrator foydalanuvchilar, post va uning kalitlarini boshqaradi. Ishlar bazasi shifrlangan: uni faqat paroli bor foydalanuvchilar ocha oladi."),
"The current password is not right.": ("Текущий пароль указан неверно.", "Joriy parol noto`g`ri."),
"The first administrator": ("Первый администратор", "Birinchi administrator"),
"The post's signing key": ("Ключ подписи поста", "Postning imzo kaliti"),
"The public key is also saved as {path}; send that file to HQ as well.": (
    "Открытый ключ также сохранён в файл {path}; отправьте этот файл и в центральный аппарат.",
    "Ochiq kalit {path} fayliga ham saqlandi; bu faylni ham markaziy apparatga yuboring."),
"The store is ready. Demo cases (among them the Dustlik case) help to try the program; leave this unchecked for real work.": (
    "Хранилище готово. Демо-дела (среди них дело «Дустлик») помогут опробовать программу; для реальной работы не ставьте эту отметку.",
    "Baza tayyor. Namuna ishlar (jumladan, “Do`stlik” ishi) dasturni sinab ko`rishga yordam beradi; haqiqiy ish uchun bu belgini qo`ymang."),
"This post signs every bundle it sends with its own key. Read the key id below out to HQ (by telephone) so that HQ trusts bundles from this office.": (
    "Пост подписывает каждый отправляемый пакет своим ключом. Продиктуйте идентификатор ключа, указанный ниже, в центральный аппарат (по телефону), чтобы там доверяли пакетам этого офиса.",
    "Post har bir yuboradigan paketini o`z kaliti bilan imzolaydi. Markaziy apparat ushbu ofis paketlariga ishonishi uchun quyidagi kalit identifikatorini unga (telefon orqali) aytib bering."),
"Type your password.": ("Введите пароль.", "Parolingizni kiriting."),
"Type your username.": ("Введите имя пользователя.", "Foydalanuvchi nomingizni kiriting."),
"U&nlock": ("&Разблокировать", "&Blokdan chiqarish"),
"User added.": ("Пользователь добавлен.", "Foydalanuvchi qo`shildi."),
"Username": ("Имя пользователя", "Foydalanuvchi nomi"),
"Username:": ("Имя пользователя:", "Foydalanuvchi nomi:"),
"Users": ("Пользователи", "Foydalanuvchilar"),
"Welcome to BLO Desk. Choose the language of the program; it can be changed later in the Settings.": (
    "Добро пожаловать в BLO Desk. Выберите язык программы; его можно будет изменить в настройках.",
    "BLO Deskga xush kelibsiz. Dastur tilini tanlang; uni keyinroq Sozlamalarda o`zgartirish mumkin."),
"Which crossing point does this office work at? Its code goes into every case number and every sync bundle.": (
    "На каком пункте пропуска работает этот офис? Его код входит в каждый номер дела и в каждый пакет синхронизации.",
    "Ushbu ofis qaysi o`tkazish punktida ishlaydi? Uning kodi har bir ish raqamiga va har bir sinxronlash paketiga kiradi."),
"Your password was changed.": ("Ваш пароль изменён.", "Parolingiz o`zgartirildi."),
"Your role ({role}) does not work with cases. Use the Tools menu for users and settings.": (
    "Ваша роль ({role}) не предусматривает работу с делами. Пользователи и настройки — в меню «Сервис».",
    "Sizning rolingiz ({role}) ishlar bilan ishlamaydi. Foydalanuvchilar va sozlamalar uchun “Vositalar” menyusidan foydalaning."),
"at least {count} characters": ("не менее {count} символов", "kamida {count} ta belgi"),
"bundle export": ("выгрузка пакета", "paket eksporti"),
"bundle verify": ("проверка пакета", "paketni tekshirish"),
"bundle {seq}: {records} revisions, {size} bytes": ("пакет {seq}: редакций — {records}, байт — {size}",
    "{seq}-paket: {records} ta versiya, {size} bayt"),
"case": ("дело", "ish"),
"e.g. UZ-DUS": ("например, UZ-DUS", "masalan, UZ-DUS"),
"encrypted store and first administrator created in {path}": ("зашифрованное хранилище и первый администратор созданы в {path}",
    "shifrlangan baza va birinchi administrator yaratildi: {path}"),
"locked until {time}": ("заблокирован до {time}", "{time} gacha bloklangan"),
"login": ("вход", "kirish"),
"post key": ("ключ поста", "post kaliti"),
"post {post}, key id {key_id}; an officer account added": ("пост {post}, идентификатор ключа {key_id}; добавлена учётная запись сотрудника",
    "post {post}, kalit identifikatori {key_id}; xodim hisobi qo`shildi"),
"protocol": ("протокол", "bayonnoma"),
"protocol PDF of {size} bytes": ("PDF протокола, байт: {size}", "bayonnoma PDF fayli, {size} bayt"),
"signature, members and {records} records verified": ("подпись, состав и записи ({records}) проверены",
    "imzo, tarkib va {records} ta yozuv tekshirildi"),
"store": ("хранилище", "baza"),
"the Dustlik case entered, finalized, read back and found: {number}": (
    "дело «Дустлик» введено, завершено, прочитано и найдено: {number}",
    "“Do`stlik” ishi kiritildi, yakunlandi, qayta o`qildi va topildi: {number}"),
"{username} is unlocked.": ("Пользователь {username} разблокирован.", "{username} blokdan chiqarildi."),
"{username} was removed.": ("Пользователь {username} удалён.", "{username} o`chirildi."),
"{user} ({role})": ("{user} ({role})", "{user} ({role})"),
"{user} logged in as {role}": ("{user}: вход выполнен, роль «{role}»", "{user} tizimga {role} sifatida kirdi"),
}
T5 = {
"HQ holds no upload {upload_id} (finished, expired or never started); start it again.": (
    "В центральном аппарате нет загрузки {upload_id} (завершена, истекла или не начиналась); начните её заново.",
    "Markaziy apparatda {upload_id} yuklamasi yo`q (tugagan, muddati o`tgan yoki boshlanmagan); uni qaytadan boshlang."),
"HQ holds {offset} bytes of this upload, not {given}; continue from byte {offset}.": (
    "В центральном аппарате получено {offset} байт этой загрузки, а не {given}; продолжите с байта {offset}.",
    "Markaziy apparatda bu yuklamaning {given} emas, {offset} bayti bor; {offset}-baytdan davom ettiring."),
"HQ holds {offset} of {length} bytes of this upload; send the rest first.": (
    "В центральном аппарате получено {offset} из {length} байт этой загрузки; сначала отправьте остальное.",
    "Markaziy apparatda bu yuklamaning {length} baytidan {offset} tasi bor; avval qolganini yuboring."),
"HQ refused the upload.": ("Центральный аппарат отклонил загрузку.", "Markaziy apparat yuklamani rad etdi."),
"HQ's receipt for bundle {seq} cannot be trusted: {reason}": (
    "Квитанции центрального аппарата о получении пакета {seq} нельзя доверять: {reason}",
    "Markaziy apparatning {seq}-paket uchun tilxatiga ishonib bo`lmaydi: {reason}"),
"Key {key_id} is not registered at HQ for post {post}; ask HQ to trust the post's public key.": (
    "Ключ {key_id} не зарегистрирован в центральном аппарате за постом {post}; попросите центральный аппарат признать открытый ключ поста доверенным.",
    "{key_id} kaliti markaziy apparatda {post} posti uchun ro`yxatdan o`tmagan; markaziy apparatdan postning ochiq kalitini ishonchli deb belgilashni so`rang."),
"Key {key_id} of post {post} is revoked at HQ from bundle {from_seq} on.": (
    "Ключ {key_id} поста {post} отозван центральным аппаратом начиная с пакета {from_seq}.",
    "{post} postining {key_id} kaliti markaziy apparatda {from_seq}-paketdan boshlab bekor qilingan."),
"The bundle is {size_mb} MB; HQ accepts at most {limit_mb} MB per bundle.": (
    "Размер пакета — {size_mb} МБ; центральный аппарат принимает пакеты не более {limit_mb} МБ.",
    "Paket hajmi {size_mb} MB; markaziy apparat har bir paketni ko`pi bilan {limit_mb} MB gacha qabul qiladi."),
"The upload request lacks the field {name} or its value is invalid.": (
    "В запросе на загрузку нет поля {name} или его значение недопустимо.",
    "Yuklash so`rovida {name} maydoni yo`q yoki uning qiymati yaroqsiz."),
"The upload sends more bytes than the {length} it announced.": (
    "Загрузка передаёт больше байт, чем заявленные {length}.",
    "Yuklama e'lon qilingan {length} baytdan ko`proq bayt yubormoqda."),
"The uploaded bytes do not match the announced SHA-256; HQ discarded them, start again.": (
    "Загруженные данные не совпадают с заявленным SHA-256; центральный аппарат их отбросил, начните заново.",
    "Yuklangan baytlar e'lon qilingan SHA-256 ga mos kelmaydi; markaziy apparat ularni rad etdi, qaytadan boshlang."),
"it is not a receipt in the expected format": ("это не квитанция в ожидаемом формате", "bu kutilgan formatdagi tilxat emas"),
"it is not signed by the HQ key this post pinned": ("она не подписана ключом центрального аппарата, закреплённым на этом посту",
    "u ushbu postda qayd etilgan markaziy apparat kaliti bilan imzolanmagan"),
"it names another bundle than the one sent": ("в ней указан не тот пакет, который был отправлен", "unda yuborilgan paket emas, boshqa paket ko`rsatilgan"),
"{count} uploads from {who} are already in progress; the limit is {limit}. Try again later.": (
    "Загрузок от {who} уже выполняется: {count}; допустимо не более {limit}. Повторите попытку позже.",
    "{who} dan {count} ta yuklama allaqachon bajarilmoqda; chegara — {limit}. Keyinroq qayta urinib ko`ring."),
}
T6 = {
"The post's secret key {path} cannot be unsealed: it was altered or belongs to another store.": (
    "Секретный ключ поста {path} не удаётся вскрыть: он изменён или относится к другому хранилищу.",
    "Postning {path} maxfiy kalitini muhrdan ochib bo`lmaydi: u o`zgartirilgan yoki boshqa bazaga tegishli."),
"The post's secret key {path} is sealed with the store's key; log in to use it.": (
    "Секретный ключ поста {path} запечатан ключом хранилища; войдите в систему, чтобы использовать его.",
    "Postning {path} maxfiy kaliti baza kaliti bilan muhrlangan; undan foydalanish uchun tizimga kiring."),
"This installation sends the cases of post {post}; you work at post {own_post}.": (
    "Эта установка отправляет дела поста {post}; вы работаете на посту {own_post}.",
    "Ushbu o`rnatma {post} postining ishlarini yuboradi; siz {own_post} postida ishlaysiz."),
}
T7 = {
"Bundle {seq} delivered; HQ's receipt checked ({outcome}).": (
    "Пакет {seq} доставлен; квитанция центрального аппарата проверена ({outcome}).",
    "{seq}-paket yetkazildi; markaziy apparat tilxati tekshirildi ({outcome})."),
"Bundle {seq} is not in the outbox folder (written to a stick?); it keeps waiting.": (
    "Пакета {seq} нет в папке исходящих (записан на флешку?); он остаётся в ожидании.",
    "{seq}-paket chiquvchilar papkasida yo`q (fleshkaga yozilganmi?); u kutishda qoladi."),
"Bundle {seq} keeps waiting: {reason}": ("Пакет {seq} остаётся в ожидании: {reason}", "{seq}-paket kutishda qoladi: {reason}"),
"Bundle {seq} written: {records} revisions of {cases} cases": ("Пакет {seq} записан: редакций — {records} (дел — {cases})",
    "{seq}-paket yozildi: {cases} ta ishning {records} ta versiyasi"),
"Bundles go to {url}": ("Пакеты отправляются на {url}", "Paketlar {url} manziliga yuboriladi"),
"Bundles go to {url}; receipts must be signed by HQ key {key_id}.": (
    "Пакеты отправляются на {url}; квитанции должны быть подписаны ключом центрального аппарата {key_id}.",
    "Paketlar {url} manziliga yuboriladi; tilxatlar markaziy apparatning {key_id} kaliti bilan imzolangan bo`lishi kerak."),
"CA certificate to trust for HQ's TLS (PEM)": ("сертификат УЦ, которому доверять для TLS центрального аппарата (PEM)",
    "markaziy apparat TLS uchun ishoniladigan CA sertifikati (PEM)"),
"HQ at {url} cannot be reached: {reason}": ("Центральный аппарат по адресу {url} недоступен: {reason}",
    "{url} manzilidagi markaziy apparat bilan bog`lanib bo`lmaydi: {reason}"),
"HQ intake service on {url}, receipt key {key_id}": ("Служба приёма центрального аппарата на {url}, ключ квитанций {key_id}",
    "Markaziy apparat qabul xizmati {url} manzilida, tilxat kaliti {key_id}"),
"HQ last confirmed a bundle: {when}": ("Последнее подтверждение пакета центральным аппаратом: {when}",
    "Markaziy apparat paketni oxirgi marta tasdiqlagan vaqt: {when}"),
"HQ refused bundle {seq}: {reason}": ("Центральный аппарат отклонил пакет {seq}: {reason}",
    "Markaziy apparat {seq}-paketni rad etdi: {reason}"),
"HQ revoked this post's key from bundle {seq} on: set up a new key.": (
    "Центральный аппарат отозвал ключ этого поста начиная с пакета {seq}: настройте новый ключ.",
    "Markaziy apparat ushbu post kalitini {seq}-paketdan boshlab bekor qildi: yangi kalit sozlang."),
"HQ {url}, receipt key {key_id}": ("Центральный аппарат {url}, ключ квитанций {key_id}",
    "Markaziy apparat {url}, tilxat kaliti {key_id}"),
"HQ's address and key are not set; run `blo-desk post hq --url URL --key FILE` first.": (
    "Адрес и ключ центрального аппарата не заданы; сначала выполните «blo-desk post hq --url URL --key FILE».",
    "Markaziy apparat manzili va kaliti belgilanmagan; avval “blo-desk post hq --url URL --key FILE” buyrug`ini bajaring."),
"HQ's address is not set (blo-desk post hq --url URL --key FILE).": (
    "Адрес центрального аппарата не задан (blo-desk post hq --url URL --key FILE).",
    "Markaziy apparat manzili belgilanmagan (blo-desk post hq --url URL --key FILE)."),
"HQ's address is not set; bundles go by USB stick only.": (
    "Адрес центрального аппарата не задан; пакеты передаются только на флешке.",
    "Markaziy apparat manzili belgilanmagan; paketlar faqat fleshka orqali yuboriladi."),
"HQ's public receipt key (minisign .pub)": ("открытый ключ квитанций центрального аппарата (minisign .pub)",
    "markaziy apparatning ochiq tilxat kaliti (minisign .pub)"),
"HQ's receipt key: create it if needed and write its public half": (
    "ключ квитанций центрального аппарата: создать при необходимости и записать его открытую часть",
    "markaziy apparat tilxat kaliti: kerak bo`lsa yaratish va uning ochiq qismini yozish"),
"HTTP status {status}": ("HTTP-статус {status}", "HTTP holati {status}"),
"Outbox: {count} waiting · HQ last confirmed: {when}": (
    "Исходящие: ожидают {count} · последнее подтверждение центрального аппарата: {when}",
    "Chiquvchilar: {count} ta kutmoqda · markaziy apparatning oxirgi tasdig`i: {when}"),
"Post {post}: bundle {seq} reports an audit trail of {length} events, fewer than the {seen} events bundle {other_seq} reported; the post's history was cut.": (
    "Пост {post}: пакет {seq} сообщает о журнале аудита из {length} событий — меньше, чем {seen} событий в пакете {other_seq}; история поста была урезана.",
    "{post} posti: {seq}-paket {length} ta hodisadan iborat audit jurnalini ko`rsatmoqda, bu {other_seq}-paket ko`rsatgan {seen} ta hodisadan kam; post tarixi qisqartirilgan."),
"Post {post}: the audit trail in bundle {seq} does not extend the one bundle {other_seq} reported ({seen} events); the post's history was rewritten.": (
    "Пост {post}: журнал аудита в пакете {seq} не продолжает журнал из пакета {other_seq} (событий: {seen}); история поста была переписана.",
    "{post} posti: {seq}-paketdagi audit jurnali {other_seq}-paket ko`rsatgan jurnalning davomi emas ({seen} ta hodisa); post tarixi qayta yozilgan."),
"TLS certificate chain (PEM)": ("цепочка сертификатов TLS (PEM)", "TLS sertifikatlar zanjiri (PEM)"),
"TLS private key (PEM); with --ssl-certfile, serve HTTPS": ("закрытый ключ TLS (PEM); вместе с --ssl-certfile — работа по HTTPS",
    "TLS shaxsiy kaliti (PEM); --ssl-certfile bilan birga HTTPS orqali ishlash"),
"address to listen on": ("адрес для прослушивания", "tinglanadigan manzil"),
"bundles waiting and HQ's last confirmation": ("ожидающие пакеты и последнее подтверждение центрального аппарата",
    "kutayotgan paketlar va markaziy apparatning oxirgi tasdig`i"),
"database URL of HQ's store (default: the global --db)": ("URL базы данных хранилища центрального аппарата (по умолчанию: общий --db)",
    "markaziy apparat bazasining URL manzili (standart: umumiy --db)"),
"deliver waiting bundles to HQ over the network": ("доставить ожидающие пакеты в центральный аппарат по сети",
    "kutayotgan paketlarni tarmoq orqali markaziy apparatga yetkazish"),
"drop unfinished uploads idle this long": ("удалять незавершённые загрузки, простаивающие дольше этого срока",
    "shuncha vaqt harakatsiz turgan tugallanmagan yuklamalarni o`chirish"),
"export what is new and upload what waits (once, or watching)": (
    "выгрузить новое и загрузить ожидающее (однократно или в режиме наблюдения)",
    "yangilarini eksport qilish va kutayotganlarini yuklash (bir marta yoki kuzatish rejimida)"),
"folder to write hq-receipts.pub to (default: print it)": ("папка для записи hq-receipts.pub (по умолчанию: вывести на экран)",
    "hq-receipts.pub faylini yozish uchun papka (standart: ekranga chiqarish)"),
"imports at once (default: 1 on SQLite, 4 on PostgreSQL)": ("одновременных импортов (по умолчанию: 1 для SQLite, 4 для PostgreSQL)",
    "bir vaqtdagi importlar soni (standart: SQLite uchun 1, PostgreSQL uchun 4)"),
"intake service address, e.g. https://hq.example.org/blo": ("адрес службы приёма, например https://hq.example.org/blo",
    "qabul xizmati manzili, masalan https://hq.example.org/blo"),
"keep going: a round every interval, backing off": ("работать непрерывно: цикл через каждый интервал, с увеличением паузы при сбоях",
    "to`xtovsiz ishlash: har bir interval sayin bir davra, xatolarda kutish uzaytiriladi"),
"largest bundle accepted, in MB": ("наибольший принимаемый пакет, МБ", "qabul qilinadigan eng katta paket, MB"),
"never": ("никогда", "hech qachon"),
"one round, then exit (the default)": ("один цикл, затем выход (по умолчанию)", "bir davra, so`ng chiqish (standart)"),
"only upload what already waits": ("только загрузить уже ожидающие пакеты", "faqat kutayotgan paketlarni yuklash"),
"reverse proxy addresses whose X-Forwarded-For is trusted": ("адреса обратных прокси, которым доверяется X-Forwarded-For",
    "X-Forwarded-For sarlavhasiga ishoniladigan teskari proksi manzillari"),
"run the intake service that receives bundles by upload": ("запустить службу приёма пакетов, загружаемых по сети",
    "tarmoq orqali yuklangan paketlarni qabul qiluvchi xizmatni ishga tushirish"),
"seconds between rounds when watching": ("секунд между циклами в режиме наблюдения", "kuzatish rejimida davralar orasidagi soniyalar"),
"set HQ's intake address and pin HQ's receipt key": ("задать адрес приёма центрального аппарата и закрепить его ключ квитанций",
    "markaziy apparat qabul manzilini belgilash va uning tilxat kalitini qayd etish"),
"stopped": ("остановлено", "to`xtatildi"),
"upload the bundles that wait in the outbox to HQ": ("загрузить в центральный аппарат пакеты, ожидающие в папке исходящих",
    "chiquvchilar papkasida kutayotgan paketlarni markaziy apparatga yuklash"),
"uploads in progress per client address": ("одновременных загрузок на адрес клиента", "bitta mijoz manzilidan bir vaqtdagi yuklamalar"),
"uploads in progress per post": ("одновременных загрузок на пост", "bitta postdan bir vaqtdagi yuklamalar"),
"{count} bundles confirmed by HQ.": ("Подтверждено центральным аппаратом пакетов: {count}.", "Markaziy apparat {count} ta paketni tasdiqladi."),
"{count} bundles waiting": ("Ожидающих пакетов: {count}", "{count} ta paket kutmoqda"),
"{url} is not an http:// or https:// address.": ("{url} — не адрес http:// или https://.", "{url} http:// yoki https:// manzili emas."),
}
T8 = {
"Secret key written to {path}; whoever holds it can sign bundles as this post.": (
    "Секретный ключ записан в {path}; любой, у кого он есть, может подписывать пакеты от имени этого поста.",
    "Maxfiy kalit {path} fayliga yozildi; unga ega bo`lgan har kim ushbu post nomidan paketlarni imzolay oladi."),
"administrators: write the post's secret key in minisign's format": (
    "для администраторов: записать секретный ключ поста в формате minisign",
    "administratorlar uchun: postning maxfiy kalitini minisign formatida yozish"),
"folder to write the secret key file to (keep it safe)": ("папка для записи файла секретного ключа (храните его надёжно)",
    "maxfiy kalit faylini yozish uchun papka (uni xavfsiz saqlang)"),
}

T9 = {
"requests in flight per client address (a reverse proxy counts as one address)": (
    "одновременных запросов на адрес клиента (обратный прокси считается одним адресом)",
    "bitta mijoz manzilidan bir vaqtdagi so`rovlar (teskari proksi bitta manzil hisoblanadi)"),
}

T10 = {
"%(prog)s: error: %(message)s\n": ("%(prog)s: ошибка: %(message)s\n", "%(prog)s: xato: %(message)s\n"),
"&Bundles": ("Па&кеты", "&Paketlar"),
"&Export bundle…": ("&Выгрузить пакет…", "Paketni &eksport qilish…"),
"&Finalized cases only": ("Только &завершённые дела", "Faqat &yakunlangan ishlar"),
"&HQ overview": ("&Сводка центрального аппарата", "&Markaziy apparat: umumiy ko`rinish"),
"&Import bundles…": ("&Импортировать пакеты…", "Paketlarni &import qilish…"),
"&Posts:": ("&Посты:", "&Postlar:"),
"&Print": ("&Печать", "&Chop etish"),
"&Print…": ("&Печать…", "&Chop etish…"),
"100 %": ("100 %", "100 %"),
"Alert": ("Оповещение", "Ogohlantirish"),
"Alerts": ("Оповещения", "Ogohlantirishlar"),
"Alerts ({count})": ("Оповещения ({count})", "Ogohlantirishlar ({count})"),
"BLO Desk bundles (*.blo)": ("Пакеты BLO Desk (*.blo)", "BLO Desk paketlari (*.blo)"),
"Bundle": ("Пакет", "Paket"),
"Bundles are encrypted to HQ's age key {recipient}.": (
    "Пакеты шифруются для ключа age центрального аппарата {recipient}.",
    "Paketlar markaziy apparatning {recipient} age kaliti uchun shifrlanadi."),
"Bundles held": ("Получено пакетов", "Olingan paketlar"),
"Choose…": ("Выбрать…", "Tanlash…"),
"Chosen posts: {count}": ("Выбрано постов: {count}", "Tanlangan postlar: {count}"),
"Each post's bundles, gaps and alerts; search across posts": (
    "Пакеты каждого поста, пропуски и оповещения; поиск по всем постам",
    "Har bir postning paketlari, uzilishlar va ogohlantirishlar; barcha postlar bo`yicha qidirish"),
"Export": ("Выгрузить", "Eksport qilish"),
"Export bundle": ("Выгрузка пакета", "Paketni eksport qilish"),
"Export cancelled; the bundle number stays used and shows as a gap at HQ.": (
    "Выгрузка отменена; номер пакета остаётся использованным и будет виден в центральном аппарате как пропуск.",
    "Eksport bekor qilindi; paket raqami band bo`lib qoladi va markaziy apparatda uzilish sifatida ko`rinadi."),
"Exported": ("Выгружен", "Eksport qilingan"),
"File": ("Файл", "Fayl"),
"Fit width": ("По ширине", "Eni bo`yicha"),
"Folder": ("Папка", "Papka"),
"Folder or USB stick to write the bundle to:": ("Папка или флешка для записи пакета:", "Paket yoziladigan papka yoki fleshka:"),
"Full re-export: every revision again (for a lost stick)": (
    "Полная повторная выгрузка: все редакции заново (при утере флешки)",
    "To`liq qayta eksport: barcha versiyalar qaytadan (fleshka yo`qolganda)"),
"Give --url and --key together, and/or --age-recipient (or --require-encryption / --allow-plain).": (
    "Укажите --url и --key вместе и/или --age-recipient (либо --require-encryption / --allow-plain).",
    "--url va --key ni birga va/yoki --age-recipient ni ko`rsating (yoki --require-encryption / --allow-plain)."),
"HQ's age key does not open the encrypted bundle (it was encrypted to another key); nothing was decrypted.": (
    "Ключ age центрального аппарата не открывает зашифрованный пакет (он зашифрован для другого ключа); ничего не расшифровано.",
    "Markaziy apparatning age kaliti shifrlangan paketni ochmaydi (u boshqa kalit uchun shifrlangan); hech narsa shifrdan chiqarilmadi."),
"HQ's age key {path} cannot be unsealed: it was altered or belongs to another store.": (
    "Ключ age центрального аппарата {path} не удаётся вскрыть: он изменён или относится к другому хранилищу.",
    "Markaziy apparatning {path} age kalitini muhrdan ochib bo`lmaydi: u o`zgartirilgan yoki boshqa bazaga tegishli."),
"HQ's age key {path} is readable by other users; allow only its owner (permissions 0600).": (
    "Ключ age центрального аппарата {path} доступен для чтения другим пользователям; оставьте доступ только владельцу (права 0600).",
    "Markaziy apparatning {path} age kalitini boshqa foydalanuvchilar o`qiy oladi; faqat egasiga ruxsat bering (0600 huquqlari)."),
"HQ's age key {path} is sealed with the store's key; log in to use it.": (
    "Ключ age центрального аппарата {path} запечатан ключом хранилища; войдите в систему, чтобы использовать его.",
    "Markaziy apparatning {path} age kaliti baza kaliti bilan muhrlangan; undan foydalanish uchun tizimga kiring."),
"HQ's age key, which opens encrypted bundles: create it if needed and print its recipient (age1...) for the posts": (
    "ключ age центрального аппарата, открывающий зашифрованные пакеты: создать при необходимости и вывести его получателя (age1...) для постов",
    "markaziy apparatning shifrlangan paketlarni ochadigan age kaliti: kerak bo`lsa yaratish va postlar uchun uning qabul qiluvchisini (age1...) chiqarish"),
"HQ's age recipient (age1..., from `blo-desk hq age-key`): bundles are encrypted to it": (
    "получатель age центрального аппарата (age1..., из «blo-desk hq age-key»): пакеты шифруются для него",
    "markaziy apparatning age qabul qiluvchisi (age1..., “blo-desk hq age-key” buyrug`idan): paketlar u uchun shifrlanadi"),
"HQ's secret age identity written to {path}; whoever holds it reads every bundle.": (
    "Секретный ключ age центрального аппарата записан в {path}; любой, у кого он есть, может прочитать каждый пакет.",
    "Markaziy apparatning maxfiy age kaliti {path} fayliga yozildi; unga ega bo`lgan har kim barcha paketlarni o`qiy oladi."),
"HQ's receipt key {path} cannot be unsealed: it was altered or belongs to another store.": (
    "Ключ квитанций центрального аппарата {path} не удаётся вскрыть: он изменён или относится к другому хранилищу.",
    "Markaziy apparatning {path} tilxat kalitini muhrdan ochib bo`lmaydi: u o`zgartirilgan yoki boshqa bazaga tegishli."),
"HQ's receipt key {path} is readable by other users; allow only its owner (permissions 0600).": (
    "Ключ квитанций центрального аппарата {path} доступен для чтения другим пользователям; оставьте доступ только владельцу (права 0600).",
    "Markaziy apparatning {path} tilxat kalitini boshqa foydalanuvchilar o`qiy oladi; faqat egasiga ruxsat bering (0600 huquqlari)."),
"HQ's receipt key {path} is sealed with the store's key; log in to use it.": (
    "Ключ квитанций центрального аппарата {path} запечатан ключом хранилища; войдите в систему, чтобы использовать его.",
    "Markaziy apparatning {path} tilxat kaliti baza kaliti bilan muhrlangan; undan foydalanish uchun tizimga kiring."),
"HQ: bundles from the posts": ("Центральный аппарат: пакеты от постов", "Markaziy apparat: postlardan kelgan paketlar"),
"Import a folder…": ("Импортировать папку…", "Papkani import qilish…"),
"Import bundles…": ("Импортировать пакеты…", "Paketlarni import qilish…"),
"Import report": ("Отчёт об импорте", "Import hisoboti"),
"Importing {file}…": ("Импорт {file}…", "{file} import qilinmoqda…"),
"Importing…": ("Импорт…", "Import qilinmoqda…"),
"Keys": ("Ключи", "Kalitlar"),
"Last bundle": ("Последний пакет", "Oxirgi paket"),
"Last import": ("Последний импорт", "Oxirgi import"),
"Name, document number, plate… (Latin or Cyrillic)": ("Имя, номер документа, госномер… (латиницей или кириллицей)",
    "Ism, hujjat raqami, davlat raqami… (lotin yoki kirill yozuvida)"),
"New": ("Новых", "Yangi"),
"Next page": ("Следующая страница", "Keyingi bet"),
"No HQ age key is pinned: bundles are NOT encrypted.": ("Ключ age центрального аппарата не закреплён: пакеты НЕ шифруются.",
    "Markaziy apparatning age kaliti qayd etilmagan: paketlar SHIFRLANMAYDI."),
"No password was given (type it when asked, or set {variable}).": (
    "Пароль не указан (введите его по запросу или задайте {variable}).",
    "Parol berilmadi (so`ralganda kiriting yoki {variable} ni belgilang)."),
"No post ticked: the report covers every post.": ("Посты не отмечены: отчёт охватывает все посты.",
    "Hech bir post belgilanmagan: hisobot barcha postlarni qamrab oladi."),
"Number": ("Номер", "Raqam"),
"Outbox: bundles exported and not yet acknowledged by HQ": (
    "Исходящие: выгруженные пакеты, ещё не подтверждённые центральным аппаратом",
    "Chiquvchilar: eksport qilingan, lekin markaziy apparat hali tasdiqlamagan paketlar"),
"Fi&rst day:": ("&Первый день:", "&Birinchi kun:"),
"Las&t day:": ("П&оследний день:", "&Oxirgi kun:"),
"Period &report…": ("Отчёт за пе&риод…", "Davr &hisoboti…"),
"Period report": ("Отчёт за период", "Davr hisoboti"),
"Period report {start} – {end} — print preview": ("Отчёт за период {start} – {end} — предварительный просмотр",
    "{start} – {end} davr hisoboti — chop etishdan oldin ko`rish"),
"Photos": ("Фото", "Suratlar"),
"Plain (unencrypted) bundles are refused.": ("Незашифрованные пакеты не допускаются.", "Shifrlanmagan paketlarga ruxsat berilmaydi."),
"Post {post}, signing key {key_id}": ("Пост {post}, ключ подписи {key_id}", "{post} posti, imzo kaliti {key_id}"),
"Posts and gaps": ("Посты и пропуски", "Postlar va uzilishlar"),
"Preparing the pages…": ("Подготовка страниц…", "Betlar tayyorlanmoqda…"),
"Preview the protocol of this case, print it or save it as PDF": (
    "Просмотреть протокол этого дела, напечатать его или сохранить в PDF",
    "Ushbu ish bayonnomasini ko`rish, chop etish yoki PDF sifatida saqlash"),
"Previous page": ("Предыдущая страница", "Oldingi bet"),
"Print": ("Печать", "Chop etish"),
"Print &language:": ("&Язык печати:", "Chop etish &tili:"),
"Printing page {page} ({done} of {pages})…": ("Печать страницы {page} ({done} из {pages})…",
    "{page}-bet chop etilmoqda ({pages} tadan {done} tasi)…"),
"Protocol {number} — print preview": ("Протокол {number} — предварительный просмотр",
    "Bayonnoma {number} — chop etishdan oldin ko`rish"),
"Raised": ("Создано", "Yaratilgan"),
"Refresh": ("Обновить", "Yangilash"),
"Rendering page {page} of {pages}…": ("Подготовка страницы {page} из {pages}…", "{page}-bet tayyorlanmoqda (jami {pages})…"),
"Result": ("Результат", "Natija"),
"Revisions": ("Редакций", "Versiyalar"),
"Save as &PDF…": ("Сохранить в &PDF…", "&PDF sifatida saqlash…"),
"Save as PDF": ("Сохранить в PDF", "PDF sifatida saqlash"),
"Saved to {path}": ("Сохранено: {path}", "Saqlandi: {path}"),
"Search across posts": ("Поиск по всем постам", "Barcha postlar bo`yicha qidirish"),
"Search all posts": ("Искать по всем постам", "Barcha postlarda qidirish"),
"Search the cases of every post; a name typed in Latin also finds it in Cyrillic.": (
    "Поиск по делам всех постов; имя, набранное латиницей, найдётся и в написании кириллицей.",
    "Barcha postlar ishlari bo`yicha qidiruv; lotin yozuvida terilgan ism kirill yozuvida ham topiladi."),
"Kind": ("Вид", "Turi"),
"Seen at more than one post: the same document number or plate in cases of several posts": (
    "Выявлено на нескольких постах: один и тот же номер документа или госномер в делах разных постов",
    "Bir nechta postda aniqlangan: turli postlar ishlarida bir xil hujjat raqami yoki davlat raqami"),
"Sent {count} pages to the printer.": ("Отправлено на принтер страниц: {count}.", "Printerga {count} ta bet yuborildi."),
"Sent {count} page to the printer.": (
    ("На принтер отправлена {count} страница.", "На принтер отправлены {count} страницы.", "На принтер отправлено {count} страниц."),
    ("Printerga {count} ta bet yuborildi.", "Printerga {count} ta bet yuborildi.")),
"Size (KB)": ("Размер (КБ)", "Hajmi (KB)"),
"The age key is not an X25519 age key.": ("Этот ключ age не является ключом X25519.", "Bu age kaliti X25519 turidagi kalit emas."),
"The bundle is encrypted to {recipient}, not to this HQ's age key {hq_recipient}; nothing was decrypted.": (
    "Пакет зашифрован для {recipient}, а не для ключа age этого центрального аппарата {hq_recipient}; ничего не расшифровано.",
    "Paket ushbu markaziy apparatning {hq_recipient} age kaliti uchun emas, {recipient} uchun shifrlangan; hech narsa shifrdan chiqarilmadi."),
"The bundle is encrypted: only HQ's age key opens it.": ("Пакет зашифрован: открыть его может только ключ age центрального аппарата.",
    "Paket shifrlangan: uni faqat markaziy apparatning age kaliti ocha oladi."),
"The case has {count} problem; see the marked field.": (
    ("В деле {count} ошибка; см. отмеченное в форме.", "В деле {count} ошибки; см. отмеченное в форме.",
     "В деле {count} ошибок; см. отмеченное в форме."),
    ("Ishda {count} ta xato bor; belgilangan maydonni ko`ring.", "Ishda {count} ta xato bor; belgilangan maydonlarni ko`ring.")),
"The case store is still opening; try again in a moment.": ("Хранилище дел ещё открывается; повторите попытку через несколько секунд.",
    "Ishlar bazasi hali ochilmoqda; birozdan keyin qayta urinib ko`ring."),
"The decrypted bundle does not match the SHA-256 and size its envelope names; nothing was imported.": (
    "Расшифрованный пакет не соответствует SHA-256 и размеру, указанным в его конверте; ничего не импортировано.",
    "Shifrdan chiqarilgan paket konvertida ko`rsatilgan SHA-256 va hajmga mos kelmaydi; hech narsa import qilinmadi."),
"The encrypted bundle could not be decrypted ({detail}); nothing was imported.": (
    "Не удалось расшифровать зашифрованный пакет ({detail}); ничего не импортировано.",
    "Shifrlangan paketni shifrdan chiqarib bo`lmadi ({detail}); hech narsa import qilinmadi."),
"The encrypted bundle does not match the SHA-256 its envelope signature names (altered after it was signed); nothing was decrypted.": (
    "Зашифрованный пакет не соответствует SHA-256, указанному в подписи конверта (изменён после подписания); ничего не расшифровано.",
    "Shifrlangan paket konvert imzosida ko`rsatilgan SHA-256 ga mos kelmaydi (imzolangandan keyin o`zgartirilgan); hech narsa shifrdan chiqarilmadi."),
"The envelope field {field} of the encrypted bundle is missing or invalid; nothing was decrypted.": (
    "Поле {field} конверта зашифрованного пакета отсутствует или недопустимо; ничего не расшифровано.",
    "Shifrlangan paket konvertining {field} maydoni yo`q yoki yaroqsiz; hech narsa shifrdan chiqarilmadi."),
"The envelope names post {post} bundle {seq} with key {key_id}, but the bundle inside is post {inner_post} bundle {inner_seq} with key {inner_key_id}; nothing was imported.": (
    "В конверте указан пакет {seq} поста {post} с ключом {key_id}, но внутри находится пакет {inner_seq} поста {inner_post} с ключом {inner_key_id}; ничего не импортировано.",
    "Konvertda {post} postining {key_id} kalitli {seq}-paketi ko`rsatilgan, lekin ichidagi paket {inner_post} postining {inner_key_id} kalitli {inner_seq}-paketi; hech narsa import qilinmadi."),
"The envelope signature claims post {post} but is by key {key_id}, registered to post {key_post}; nothing was decrypted.": (
    "Подпись конверта заявлена от имени поста {post}, но сделана ключом {key_id}, зарегистрированным за постом {key_post}; ничего не расшифровано.",
    "Konvert imzosi {post} postiniki deb ko`rsatilgan, lekin u {key_post} postiga ro`yxatdan o`tkazilgan {key_id} kaliti bilan qo`yilgan; hech narsa shifrdan chiqarilmadi."),
"The envelope signature is by key {key_id} of post {post}, revoked from bundle {from_seq} on; this bundle is number {seq}; nothing was decrypted.": (
    "Подпись конверта сделана ключом {key_id} поста {post}, отозванным начиная с пакета {from_seq}; номер этого пакета — {seq}; ничего не расшифровано.",
    "Konvert imzosi {post} postining {from_seq}-paketdan boshlab bekor qilingan {key_id} kaliti bilan qo`yilgan; bu paketning raqami {seq}; hech narsa shifrdan chiqarilmadi."),
"The envelope signature of the encrypted bundle does not match its envelope: the envelope was altered or signed by another key; nothing was decrypted.": (
    "Подпись конверта зашифрованного пакета не соответствует конверту: конверт изменён или подписан другим ключом; ничего не расшифровано.",
    "Shifrlangan paket konvertining imzosi konvertga mos kelmaydi: konvert o`zgartirilgan yoki boshqa kalit bilan imzolangan; hech narsa shifrdan chiqarilmadi."),
"The envelope signature of the encrypted bundle is by key {key_id}, which is not in the trust store; nothing was decrypted.": (
    "Подпись конверта зашифрованного пакета сделана ключом {key_id}, которого нет в хранилище доверенных ключей; ничего не расшифровано.",
    "Shifrlangan paket konvertining imzosi ishonchli kalitlar omborida bo`lmagan {key_id} kaliti bilan qo`yilgan; hech narsa shifrdan chiqarilmadi."),
"The envelope signature of the encrypted bundle is missing or not in minisign's format; nothing was decrypted.": (
    "Подпись конверта зашифрованного пакета отсутствует или не в формате minisign; ничего не расшифровано.",
    "Shifrlangan paket konvertining imzosi yo`q yoki minisign formatida emas; hech narsa shifrdan chiqarilmadi."),
"The file {filename} is not a complete encrypted bundle (damaged, truncated or another layout); nothing was decrypted.": (
    "Файл {filename} не является целым зашифрованным пакетом (повреждён, обрезан или имеет другую структуру); ничего не расшифровано.",
    "{filename} fayli to`liq shifrlangan paket emas (shikastlangan, qirqilgan yoki boshqa tuzilishga ega); hech narsa shifrdan chiqarilmadi."),
"The printer could not be opened.": ("Не удалось открыть принтер.", "Printerni ochib bo`lmadi."),
"The protocol shows the last saved revision; save the case to print your changes.": (
    "В протоколе показана последняя сохранённая редакция; чтобы напечатать изменения, сохраните дело.",
    "Bayonnomada oxirgi saqlangan versiya ko`rsatilgan; o`zgarishlaringizni chop etish uchun ishni saqlang."),
"This installation already holds HQ's age key {recipient}; it is not replaced.": (
    "В этой установке уже есть ключ age центрального аппарата {recipient}; он не заменяется.",
    "Ushbu o`rnatmada markaziy apparatning {recipient} age kaliti allaqachon mavjud; u almashtirilmaydi."),
"This installation holds no HQ age key, so it cannot open encrypted bundles; create or import it with `blo-desk hq age-key`.": (
    "В этой установке нет ключа age центрального аппарата, поэтому она не может открывать зашифрованные пакеты; создайте или импортируйте его командой «blo-desk hq age-key».",
    "Ushbu o`rnatmada markaziy apparatning age kaliti yo`q, shuning uchun u shifrlangan paketlarni ocha olmaydi; uni “blo-desk hq age-key” buyrug`i bilan yarating yoki import qiling."),
"This post requires encrypted bundles but no HQ age key is pinned; pin it with `blo-desk post hq --age-recipient age1...`. Nothing was exported.": (
    "Этот пост требует шифрования пакетов, но ключ age центрального аппарата не закреплён; закрепите его командой «blo-desk post hq --age-recipient age1...». Ничего не выгружено.",
    "Ushbu post paketlarning shifrlanishini talab qiladi, lekin markaziy apparatning age kaliti qayd etilmagan; uni “blo-desk post hq --age-recipient age1...” buyrug`i bilan qayd eting. Hech narsa eksport qilinmadi."),
"Too many wrong passwords: this account is locked for {minutes} more minute.": (
    ("Слишком много неверных паролей: учётная запись заблокирована ещё на {minutes} минуту.",
     "Слишком много неверных паролей: учётная запись заблокирована ещё на {minutes} минуты.",
     "Слишком много неверных паролей: учётная запись заблокирована ещё на {minutes} минут."),
    ("Noto`g`ri parol juda ko`p kiritildi: hisob yana {minutes} daqiqaga bloklandi.",
     "Noto`g`ri parol juda ko`p kiritildi: hisob yana {minutes} daqiqaga bloklandi.")),
"Totals by commodity, post and month over a period, with the list of cases": (
    "Итоги по товарам, постам и месяцам за период, с перечнем дел",
    "Davr uchun tovarlar, postlar va oylar bo`yicha jami, ishlar ro`yxati bilan"),
"Unchanged": ("Без изменений", "O`zgarmagan"),
"Updated": ("Обновлённых", "Yangilangan"),
"Verify and import bundles from the posts (several files or a folder)": (
    "Проверить и импортировать пакеты от постов (несколько файлов или папку)",
    "Postlardan kelgan paketlarni tekshirish va import qilish (bir nechta fayl yoki papka)"),
"Warning: no HQ age key is pinned, so bundles travel NOT encrypted; add --age-recipient age1... (from `blo-desk hq age-key`).": (
    "Внимание: ключ age центрального аппарата не закреплён, поэтому пакеты передаются НЕЗАШИФРОВАННЫМИ; добавьте --age-recipient age1... (из «blo-desk hq age-key»).",
    "Diqqat: markaziy apparatning age kaliti qayd etilmagan, shuning uchun paketlar SHIFRLANMASDAN yuboriladi; --age-recipient age1... ni qo`shing (“blo-desk hq age-key” buyrug`idan)."),
"Warning: the bundle is NOT encrypted; anyone who finds the stick can read the cases. Ask the administrator to pin HQ's age key.": (
    "Внимание: пакет НЕ зашифрован; любой, кто найдёт флешку, сможет прочитать дела. Попросите администратора закрепить ключ age центрального аппарата.",
    "Diqqat: paket SHIFRLANMAGAN; fleshkani topgan har kim ishlarni o`qiy oladi. Administratordan markaziy apparatning age kalitini qayd etishni so`rang."),
"Warning: the bundle is NOT encrypted; anyone who finds the stick can read the cases. Pin HQ's age key with `blo-desk post hq --age-recipient age1...`.": (
    "Внимание: пакет НЕ зашифрован; любой, кто найдёт флешку, сможет прочитать дела. Закрепите ключ age центрального аппарата командой «blo-desk post hq --age-recipient age1...».",
    "Diqqat: paket SHIFRLANMAGAN; fleshkani topgan har kim ishlarni o`qiy oladi. Markaziy apparatning age kalitini “blo-desk post hq --age-recipient age1...” buyrug`i bilan qayd eting."),
"Why / alerts": ("Причина / оповещения", "Sabab / ogohlantirishlar"),
"Write the cases not yet sent to a signed bundle, on a folder or a USB stick": (
    "Записать ещё не отправленные дела в подписанный пакет — в папку или на флешку",
    "Hali yuborilmagan ishlarni imzolangan paket sifatida papka yoki fleshkaga yozish"),
"Writing the bundle…": ("Запись пакета…", "Paket yozilmoqda…"),
"Your role ({role}) does not import bundles.": ("Ваша роль ({role}) не предусматривает импорт пакетов.",
    "Sizning rolingiz ({role}) paketlarni import qilishni nazarda tutmaydi."),
"administrators: keep HQ's existing age identity on this machine": (
    "для администраторов: сохранить на этом компьютере существующий секретный ключ age центрального аппарата",
    "administratorlar uchun: markaziy apparatning mavjud maxfiy age kalitini ushbu kompyuterda saqlash"),
"administrators: write the secret age identity (for `age -d -i` or a second HQ machine); keep it as safe as the store": (
    "для администраторов: записать секретный ключ age (для «age -d -i» или второго компьютера центрального аппарата); храните его так же надёжно, как хранилище",
    "administratorlar uchun: maxfiy age kalitini yozish (“age -d -i” yoki markaziy apparatning ikkinchi kompyuteri uchun); uni baza kabi xavfsiz saqlang"),
"allow plain (unencrypted) bundles again": ("снова разрешить незашифрованные пакеты", "shifrlanmagan paketlarga yana ruxsat berish"),
"already imported": ("уже импортирован", "allaqachon import qilingan"),
"also write the recipient to this file": ("также записать получателя в этот файл", "qabul qiluvchini ushbu faylga ham yozish"),
"ambiguous option: %(option)s could match %(matches)s": ("неоднозначный параметр: %(option)s может соответствовать %(matches)s",
    "noaniq parametr: %(option)s quyidagilarga mos kelishi mumkin: %(matches)s"),
"argument %(argument_name)s: %(message)s": ("аргумент %(argument_name)s: %(message)s", "%(argument_name)s argumenti: %(message)s"),
"document": ("документ", "hujjat"),
"expected one argument": ("ожидается один аргумент", "bitta argument kutilmoqda"),
"imported": ("импортирован", "import qilindi"),
"invalid %(type)s value: %(value)r": ("недопустимое значение типа %(type)s: %(value)r", "%(type)s turidagi qiymat noto`g`ri: %(value)r"),
"invalid choice: %(value)r (choose from %(choices)s)": ("недопустимый вариант: %(value)r (выберите из %(choices)s)",
    "noto`g`ri tanlov: %(value)r (tanlash mumkin: %(choices)s)"),
"no": ("нет", "yo`q"),
"not allowed with argument %s": ("нельзя использовать вместе с аргументом %s", "%s argumenti bilan birga ishlatib bo`lmaydi"),
"one of the arguments %s is required": ("требуется один из аргументов %s", "%s argumentlaridan biri talab qilinadi"),
"options": ("параметры", "parametrlar"),
"plate": ("госномер", "davlat raqami"),
"positional arguments": ("позиционные аргументы", "pozitsion argumentlar"),
"refuse to export a bundle that is not encrypted": ("запретить выгрузку незашифрованных пакетов", "shifrlanmagan paketni eksport qilishni rad etish"),
"refuse to write a bundle that is not encrypted to HQ's age key": (
    "не записывать пакет, не зашифрованный для ключа age центрального аппарата",
    "markaziy apparatning age kaliti uchun shifrlanmagan paketni yozishni rad etish"),
"rejected": ("отклонён", "rad etildi"),
"remove a user (and their copy of the store key)": ("удалить пользователя (и его копию ключа хранилища)",
    "foydalanuvchini (va uning baza kaliti nusxasini) o`chirish"),
"set HQ's intake address, pin HQ's receipt key and HQ's age key": (
    "задать адрес приёма центрального аппарата, закрепить его ключ квитанций и ключ age",
    "markaziy apparat qabul manzilini belgilash, uning tilxat kaliti va age kalitini qayd etish"),
"show program's version number and exit": ("показать номер версии программы и выйти", "dastur versiyasi raqamini ko`rsatish va chiqish"),
"show this help message and exit": ("показать эту справку и выйти", "ushbu yordam xabarini ko`rsatish va chiqish"),
"the following arguments are required: %s": ("необходимо указать следующие аргументы: %s", "quyidagi argumentlar talab qilinadi: %s"),
"unrecognized arguments: %s": ("нераспознанные аргументы: %s", "noma'lum argumentlar: %s"),
"usage: ": ("использование: ", "foydalanish: "),
"valid": ("действителен", "yaroqli"),
"yes": ("да", "ha"),
"{count} bundle confirmed by HQ.": (
    ("Центральный аппарат подтвердил {count} пакет.", "Центральный аппарат подтвердил {count} пакета.",
     "Центральный аппарат подтвердил {count} пакетов."),
    ("Markaziy apparat {count} ta paketni tasdiqladi.", "Markaziy apparat {count} ta paketni tasdiqladi.")),
"{count} finalized case was left open for change.": (
    ("{count} завершённое дело оставлено открытым для изменения.", "{count} завершённых дела оставлены открытыми для изменения.",
     "{count} завершённых дел оставлены открытыми для изменения."),
    ("{count} ta yakunlangan ish o`zgartirish uchun ochiq qoldirilgan.",
     "{count} ta yakunlangan ish o`zgartirish uchun ochiq qoldirilgan.")),
"{files} files: {imported} imported, {already} already imported, {rejected} rejected; {new} new and {updated} updated cases": (
    "Файлов: {files}; импортировано — {imported}, уже импортировано ранее — {already}, отклонено — {rejected}; дел новых — {new}, обновлённых — {updated}",
    "{files} ta fayl: {imported} tasi import qilindi, {already} tasi allaqachon import qilingan, {rejected} tasi rad etildi; {new} ta yangi va {updated} ta yangilangan ish"),
"{file}{where}: encrypted for HQ; its envelope signature and ciphertext hash are valid (the contents can only be checked with HQ's age key)": (
    "{file}{where}: зашифрован для центрального аппарата; подпись конверта и хеш шифротекста действительны (содержимое можно проверить только ключом age центрального аппарата)",
    "{file}{where}: markaziy apparat uchun shifrlangan; konvert imzosi va shifrmatn xeshi yaroqli (mazmunini faqat markaziy apparatning age kaliti bilan tekshirish mumkin)"),
"{recipient} is not an age X25519 recipient (age1 followed by 58 characters).": (
    "{recipient} не является получателем age X25519 (age1 и ещё 58 символов).",
    "{recipient} age X25519 qabul qiluvchisi emas (age1 va undan keyin 58 ta belgi)."),
}

T11 = {
"Added {count} synthetic case": (
    ("Добавлено {count} синтетическое дело", "Добавлено {count} синтетических дела", "Добавлено {count} синтетических дел"),
    ("{count} ta sintetik ish qo`shildi", "{count} ta sintetik ish qo`shildi")),
"Loaded {count} demo case into {path}": (
    ("Загружено {count} демо-дело в хранилище {path}", "Загружено {count} демо-дела в хранилище {path}",
     "Загружено {count} демо-дел в хранилище {path}"),
    ("{count} ta namuna ish {path} bazasiga yuklandi", "{count} ta namuna ish {path} bazasiga yuklandi")),
"Loaded {count} demo case.": (
    ("Загружено {count} демо-дело.", "Загружено {count} демо-дела.", "Загружено {count} демо-дел."),
    ("{count} ta namuna ish yuklandi.", "{count} ta namuna ish yuklandi.")),
"Outbox: {count} bundle exported and not yet acknowledged by HQ": (
    ("Исходящие: {count} выгруженный пакет, ещё не подтверждённый центральным аппаратом",
     "Исходящие: {count} выгруженных пакета, ещё не подтверждённых центральным аппаратом",
     "Исходящие: {count} выгруженных пакетов, ещё не подтверждённых центральным аппаратом"),
    ("Chiquvchilar: eksport qilingan, lekin markaziy apparat hali tasdiqlamagan {count} ta paket",
     "Chiquvchilar: eksport qilingan, lekin markaziy apparat hali tasdiqlamagan {count} ta paket")),
"{count} alert": (
    ("{count} оповещение", "{count} оповещения", "{count} оповещений"),
    ("{count} ta ogohlantirish", "{count} ta ogohlantirish")),
"{count} bundle": (
    ("{count} пакет", "{count} пакета", "{count} пакетов"),
    ("{count} ta paket", "{count} ta paket")),
"{count} bundle acknowledged": (
    ("Подтверждён {count} пакет", "Подтверждено {count} пакета", "Подтверждено {count} пакетов"),
    ("{count} ta paket tasdiqlandi", "{count} ta paket tasdiqlandi")),
"{count} post chosen": (
    ("Выбран {count} пост", "Выбрано {count} поста", "Выбрано {count} постов"),
    ("{count} ta post tanlangan", "{count} ta post tanlangan")),
"{files} file: {imported} imported, {already} already imported, {rejected} rejected; cases: {new} new, {updated} updated": (
    ("{files} файл: импортировано — {imported}, уже импортировано ранее — {already}, отклонено — {rejected}; дела: новых — {new}, обновлённых — {updated}",
     "{files} файла: импортировано — {imported}, уже импортировано ранее — {already}, отклонено — {rejected}; дела: новых — {new}, обновлённых — {updated}",
     "{files} файлов: импортировано — {imported}, уже импортировано ранее — {already}, отклонено — {rejected}; дела: новых — {new}, обновлённых — {updated}"),
    ("{files} ta fayl: {imported} tasi import qilindi, {already} tasi allaqachon import qilingan, {rejected} tasi rad etildi; ishlar: {new} ta yangi, {updated} ta yangilangan",
     "{files} ta fayl: {imported} tasi import qilindi, {already} tasi allaqachon import qilingan, {rejected} tasi rad etildi; ishlar: {new} ta yangi, {updated} ta yangilangan")),
"{file} ({post} #{seq}): already imported, nothing changed": (
    "{file} ({post}, пакет № {seq}): уже импортирован, изменений нет",
    "{file} ({post}, {seq}-paket): allaqachon import qilingan, hech narsa o`zgarmadi"),
"{file} ({post} #{seq}): encrypted for HQ; its envelope signature and ciphertext hash are valid (the contents can only be checked with HQ's age key)": (
    "{file} ({post}, пакет № {seq}): зашифрован для центрального аппарата; подпись конверта и хеш шифротекста действительны (содержимое можно проверить только ключом age центрального аппарата)",
    "{file} ({post}, {seq}-paket): markaziy apparat uchun shifrlangan; konvert imzosi va shifrmatn xeshi yaroqli (mazmunini faqat markaziy apparatning age kaliti bilan tekshirish mumkin)"),
"{file} ({post} #{seq}): imported: {new} new, {updated} updated, {unchanged} unchanged cases; {photos} new photos": (
    "{file} ({post}, пакет № {seq}): импортировано дел: новых — {new}, обновлённых — {updated}, без изменений — {unchanged}; новых фото — {photos}",
    "{file} ({post}, {seq}-paket): import qilindi: {new} ta yangi, {updated} ta yangilangan, {unchanged} ta o`zgarmagan ish; {photos} ta yangi surat"),
"{file} ({post} #{seq}): rejected: {reason}": (
    "{file} ({post}, пакет № {seq}): отклонён: {reason}",
    "{file} ({post}, {seq}-paket): rad etildi: {reason}"),
"{file} ({post} #{seq}): valid, {records} record": (
    ("{file} ({post}, пакет № {seq}): действителен, {records} запись",
     "{file} ({post}, пакет № {seq}): действителен, {records} записи",
     "{file} ({post}, пакет № {seq}): действителен, {records} записей"),
    ("{file} ({post}, {seq}-paket): yaroqli, {records} ta yozuv", "{file} ({post}, {seq}-paket): yaroqli, {records} ta yozuv")),
"{file}: rejected: {reason}": ("{file}: отклонён: {reason}", "{file}: rad etildi: {reason}"),
}

TRANSLATIONS = {**T, **T2, **T3, **T4, **T5, **T6, **T7, **T8, **T9, **T10, **T11}

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
#: argparse's own texts use %-style placeholders (%(name)s, %(value)r, %s): kept exactly, as often as in English.
PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0+]*\d*(?:\.\d+)?[sdrifx%]")
NPLURALS = {"ru": 3, "uz": 2}
#: Translations may end on the full stop of an abbreviation where the English has no full stop.
ABBREVIATIONS = ("F.I.Sh.", "Ед. изм.")


def uzbek(text: str) -> str:
    for plain, proper in (("o`", "o\u02bb"), ("g`", "g\u02bb"), ("O`", "O\u02bb"), ("G`", "G\u02bb")):
        text = text.replace(plain, proper)
    if "`" in text:
        raise ValueError(f"stray backtick in Uzbek text: {text!r}")
    return text.replace("'", "\u02bc")


def forms(language: str, value, plural: bool) -> tuple[str, ...] | str:
    index = 0 if language == "ru" else 1
    text = value[index]
    if language == "uz":
        text = tuple(uzbek(t) for t in text) if isinstance(text, tuple) else uzbek(text)
    if plural:
        text = text if isinstance(text, tuple) else (text,)
        n = NPLURALS[language]
        return tuple(text[i] if i < len(text) else text[-1] for i in range(n))
    if isinstance(text, tuple):
        raise ValueError(f"plural forms given for a singular msgid in {language}: {value!r}")
    return text


def ending(text: str) -> str:
    text = text.rstrip(" ")
    for mark in ("…", ".", ":", "?", "!"):
        if text.endswith(mark):
            return mark
    return ""


def problems_of(language: str, msgid, strings) -> list[str]:
    found = []
    ids = msgid if isinstance(msgid, tuple) else (msgid,)
    wanted = set(PLACEHOLDER.findall(" ".join(ids)))
    for text in strings if isinstance(strings, tuple) else (strings,):
        if set(PLACEHOLDER.findall(text)) != wanted:
            found.append(f"{language}: placeholders differ: {ids[0]!r} -> {text!r}")
        if sorted(PERCENT.findall(text)) != sorted(PERCENT.findall(ids[0])):
            found.append(f"{language}: %-placeholders differ: {ids[0]!r} -> {text!r}")
        if ids[0].count("&") != text.count("&"):
            found.append(f"{language}: mnemonic & differs: {ids[0]!r} -> {text!r}")
        if ending(ids[0]) != ending(text) and not text.endswith(ABBREVIATIONS) \
                and not (ids[0].endswith("No.") and text.endswith("№")):
            found.append(f"{language}: ending differs: {ids[0]!r} -> {text!r}")
        if ids[0].endswith(" ") != text.endswith(" "):
            found.append(f"{language}: trailing space differs: {ids[0]!r} -> {text!r}")
        if ids[0].count("\n") != text.count("\n"):
            found.append(f"{language}: newlines differ: {ids[0]!r} -> {text!r}")
        if language == "uz":
            if re.search(r"\u02bb", text) and re.search(r"[^oOgG]\u02bb", text):
                found.append(f"uz: ʻ after a letter other than o/g: {text!r}")
            if any(bad in text for bad in ("'", "\u2018", "\u2019", "`")):
                found.append(f"uz: wrong apostrophe: {text!r}")
    return found


def fill(language: str, write: bool = True) -> tuple[int, list[str], list[str]]:
    path = HERE / language / "LC_MESSAGES" / "blo_desk.po"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale={"uz": "uz_Latn", "ru": "ru"}[language])
    filled, missing, issues = 0, [], []
    for message in catalog:
        if not message.id:
            continue
        plural = isinstance(message.id, tuple)
        key = message.id[0] if plural else message.id
        if key in TRANSLATIONS:
            message.string = forms(language, TRANSLATIONS[key], plural)
            message.flags.discard("fuzzy")
            filled += 1
        elif not (all(message.string) if plural else message.string):
            missing.append(key)
        if (all(message.string) if plural else message.string):
            issues += problems_of(language, message.id, message.string)
    catalog.last_translator = "BLO Desk translators"
    catalog.language_team = f"BLO Desk {language} translators"
    if write:
        with path.open("wb") as fh:
            write_po(fh, catalog, width=100, omit_header=False)
    return filled, missing, issues


def main(argv: list[str]) -> int:
    write = "--check" not in argv
    status = 0
    for language in ("ru", "uz"):
        filled, missing, issues = fill(language, write)
        print(f"{language}: {filled} entries from the dictionary, {len(missing)} untranslated")
        for key in missing:
            print(f"  untranslated: {key!r}")
        for issue in issues:
            print(f"  {issue}")
        status |= bool(missing or issues)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
