# kassa — қазақша

month-1 = қаңтар
month-2 = ақпан
month-3 = наурыз
month-4 = сәуір
month-5 = мамыр
month-6 = маусым
month-7 = шілде
month-8 = тамыз
month-9 = қыркүйек
month-10 = қазан
month-11 = қараша
month-12 = желтоқсан
date-time = { $year } жылғы { $day } { $month }, { $time }

mail-greeting = Сәлеметсіз бе, { $name }!
mail-when = Қашан
mail-where = Қайда
mail-seats = Орындар
mail-seat = { $row }-қатар, { $number }-орын
mail-total = Барлығы
mail-reference = Брондау нөмірі
mail-manage = Брондауды қарау немесе болдырмау
mail-pay-at-door = Төлем кіре берісте, қолма-қол немесе картамен.
mail-show-qr = Кіре берісте әр билеттің QR-кодын көрсетіңіз — экраннан немесе қағаздан.
mail-ticket = Билет
mail-calendar = Күнтізбеге арналған оқиға тіркелген.
mail-signature = Театрда көріскенше!

booking_confirmed-subject = Сіздің билеттеріңіз: «{ $title }», { $date }
booking_confirmed-intro = Сіз «{ $title }» қойылымына орын брондадыңыз.

booking_cancelled-subject = { $reference } брондауы жойылды
booking_cancelled-intro = «{ $title }» қойылымына ({ $date }) жасалған { $reference } брондауыңыз жойылды, билеттер енді жарамсыз.

performance_rescheduled-subject = «{ $title }» қойылымы { $date } уақытына ауыстырылды
performance_rescheduled-intro = «{ $title }» қойылымының уақыты өзгерді: бұрын { $previous } еді, енді { $date }. Билеттеріңіз жарамды; жаңартылған күнтізбе оқиғасы тіркелген.

performance_cancelled-subject = «{ $title }» қойылымы ({ $date }) болмайды
performance_cancelled-intro = Өкінішке қарай, «{ $title }» қойылымы ({ $date }) өтпейді. Сіздің { $reference } брондауыңыз жойылды.

page-title = 2act — билеттер
page-nav-home = Афиша
page-language = Тіл
page-upcoming = Жақын арадағы қойылымдар
page-no-performances = Қазір сатылымда қойылым жоқ. Кейінірек қараңыз.
page-from-price = { $price } бастап
page-seats-left = бос орын: { $count }
page-few-left = орын аз қалды
page-sold-out = билеттер таусылды
page-buy = Орын таңдау
page-minutes = { $minutes } мин
page-interval = үзіліспен
page-age = { $rating }
page-footer = 2act театры, Алматы
page-stage = Сахна
page-prices = Бағалар
page-seat-label = { $row }-қатар, { $number }-орын, { $zone }, { $price }: { $status }
page-status-available = бос
page-status-held = басқа көрермен таңдады, босауы мүмкін
page-status-booked = бос емес
page-status-blocked = қолжетімсіз
page-accessible = арбадағы көрерменге арналған орын
page-legend-unavailable = бос емес
page-back = Бүкіл афиша
page-cancelled = Қойылым болмайды
page-pick-seats = Орын таңдаңыз
page-hold = Таңдалғандарды брондау
page-total = Барлығы
page-checkout = Рәсімдеу
page-held-until = Орындар сізге { $time } дейін бекітілді.
page-name = Аты-жөні
page-email = Электрондық пошта
page-phone = Телефон (міндетті емес)
page-confirm = Брондауды растау
page-hold-expired = Рәсімдеу уақыты өтіп кетті, орындар босатылды. Оларды қайта таңдаңыз.
page-seats-taken = Бұл орындардың кейбірін жаңа ғана біреу алып қойды. Басқасын таңдаңыз.
page-choose-at-least-one = Кемінде бір орын таңдаңыз.
page-form-expired = Форманың мерзімі өтті. Бетті жаңартып, қайталап көріңіз.
page-booking = { $reference } брондауы
page-booking-confirmed = Брондау расталды. Билеттер { $email } мекенжайына жіберілді.
page-booking-cancelled = Брондау жойылды.
page-add-to-calendar = Күнтізбеге қосу
page-cancel-booking = Брондауды болдырмау
page-too-late = Брондауды онлайн болдырмау енді мүмкін емес: басталуына { $minutes } минуттан аз қалды.
page-manage-note = Бұл бетті сақтап қойыңыз: оны хаттағы сілтеме арқылы қайта ашуға болады.
page-not-found = Бет табылмады.
