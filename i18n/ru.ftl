# kassa — русский (язык по умолчанию)

month-1 = января
month-2 = февраля
month-3 = марта
month-4 = апреля
month-5 = мая
month-6 = июня
month-7 = июля
month-8 = августа
month-9 = сентября
month-10 = октября
month-11 = ноября
month-12 = декабря
date-time = { $day } { $month } { $year }, { $time }

mail-greeting = Здравствуйте, { $name }!
mail-when = Когда
mail-where = Где
mail-seats = Места
mail-seat = ряд { $row }, место { $number }
mail-total = Итого
mail-reference = Номер брони
mail-manage = Посмотреть или отменить бронь
mail-pay-at-door = Оплата на входе, наличными или картой.
mail-show-qr = На входе покажите QR-код каждого билета — с экрана или на бумаге.
mail-ticket = Билет
mail-calendar = Событие для календаря — во вложении.
mail-signature = До встречи в театре!

booking_confirmed-subject = Ваши билеты: «{ $title }», { $date }
booking_confirmed-intro = Вы забронировали места на спектакль «{ $title }».

booking_cancelled-subject = Бронь { $reference } отменена
booking_cancelled-intro = Ваша бронь { $reference } на спектакль «{ $title }» ({ $date }) отменена, билеты больше не действуют.

performance_rescheduled-subject = Спектакль «{ $title }» перенесён на { $date }
performance_rescheduled-intro = Спектакль «{ $title }» перенесён: было { $previous }, теперь { $date }. Ваши билеты действительны; обновлённое событие календаря — во вложении.

performance_cancelled-subject = Спектакль «{ $title }» { $date } отменён
performance_cancelled-intro = К сожалению, спектакль «{ $title }» { $date } отменён. Ваша бронь { $reference } аннулирована.

page-title = 2act — билеты
page-nav-home = Афиша
page-language = Язык
page-upcoming = Ближайшие спектакли
page-no-performances = Сейчас нет спектаклей в продаже. Загляните позже.
page-from-price = от { $price }
page-seats-left = осталось мест: { $count }
page-few-left = мало мест
page-sold-out = билетов нет
page-buy = Выбрать места
page-minutes = { $minutes } мин
page-interval = с антрактом
page-age = { $rating }
page-footer = Театр 2act, Алматы
page-stage = Сцена
page-prices = Цены
page-seat-label = Ряд { $row }, место { $number }, { $zone }, { $price }: { $status }
page-status-available = свободно
page-status-held = выбрано другим зрителем, может освободиться
page-status-booked = занято
page-status-blocked = недоступно
page-accessible = место для зрителя на коляске
page-legend-unavailable = занято
page-back = Вся афиша
page-cancelled = Спектакль отменён
page-pick-seats = Выберите места
page-hold = Забронировать выбранные
page-total = Итого
page-checkout = Оформление
page-held-until = Места закреплены за вами до { $time }.
page-name = Имя
page-email = Электронная почта
page-phone = Телефон (необязательно)
page-confirm = Подтвердить бронь
page-hold-expired = Время на оформление вышло, места освобождены. Выберите их заново.
page-seats-taken = Некоторые из этих мест только что заняли. Выберите другие.
page-choose-at-least-one = Выберите хотя бы одно место.
page-form-expired = Форма устарела. Обновите страницу и попробуйте ещё раз.
page-booking = Бронь { $reference }
page-booking-confirmed = Бронь подтверждена. Письмо с билетами отправлено на { $email }.
page-booking-cancelled = Бронь отменена.
page-add-to-calendar = Добавить в календарь
page-cancel-booking = Отменить бронь
page-too-late = Отменить бронь онлайн уже нельзя: до начала меньше { $minutes } минут.
page-manage-note = Сохраните эту страницу: по ссылке из письма её можно открыть снова.
page-not-found = Страница не найдена.
page-signin = Вход для сотрудников
page-password = Пароль
page-signin-button = Войти
page-signout = Выйти
page-signin-failed = Неверная почта или пароль.
page-signin-too-many = Слишком много неудачных попыток. Попробуйте позже.
page-director-only = Эта страница только для режиссёра.
page-schedule = Расписание
page-new-performance = Новый спектакль в расписании
page-production = Постановка
page-venue = Зал
page-starts-at = Начало (время зала)
page-price-zone = Цена, зона «{ $zone }», ₸
page-publish-now = Сразу открыть продажу
page-create = Добавить в расписание
page-publish = Открыть продажу
page-cancel-performance = Отменить спектакль
page-state-draft = черновик
page-state-published = в продаже
page-state-cancelled = отменён
page-sold = продано { $sold } из { $total }
page-scheduled = Спектакль добавлен в расписание.
page-clash = Зал занят: в это время идёт «{ $title }» ({ $when }). Между спектаклями нужен перерыв с учётом антракта и смены декораций.
page-confirm-cancel = Отменить спектакль? Все брони будут отменены, зрителям уйдут письма.
page-error-name = Укажите имя (до 100 знаков).
page-error-email = Это не похоже на адрес электронной почты.
page-error-phone = Это не похоже на номер телефона, например +7 701 234 56 78.
page-figures = Продажи
page-zone = Зона
page-tickets = Билеты
page-revenue = Сумма
page-all-zones = Всего
page-holds-now = Сейчас на оформлении: мест — { $seats }.
page-bookings = Брони
page-payment-unpaid = оплата на входе
page-payment-paid = оплачено
page-payment-comp = пригласительный
page-no-bookings = Броней пока нет.
page-reschedule = Перенести
page-new-time = Новое время начала (время зала)
page-reschedule-note = Зрители с билетами получат письмо с новым временем и обновлённым событием календаря.
page-house-seats = Снятые с продажи места
page-block = Снять с продажи
page-reason = Причина
page-lift = Вернуть в продажу
page-seat-label-plan = Ряд { $row }, место { $number }, { $zone }
page-zones = Зоны
page-seat-count = { $seats ->
    [one] { $seats } место
    [few] { $seats } места
   *[many] { $seats } мест
}
page-director-menu = Меню режиссёра
page-calendar = Календарь
page-productions = Спектакли
page-venues = Залы
page-door = Вход
page-nothing-scheduled = В расписании пока ничего нет.
page-new-run = Запланировать серию
page-weekdays = Дни недели
page-run-from = Первая дата
page-run-to = Последняя дата
page-run-time = Время начала (время зала)
page-create-run = Добавить серию в расписание
page-run-clash = { $count ->
    [one] { $count } дата пересекается
    [few] { $count } даты пересекаются
   *[many] { $count } дат пересекаются
} с расписанием зала, поэтому ничего не добавлено: { $dates }.
page-error-field = Проверьте поле «{ $field }».
page-error-plan-seat = место № { $number } в плане зала
page-error-nonexistent-time = В этот день такого времени в часовом поясе зала нет (переводят часы). Выберите другое время.
page-error-ambiguous-time = В этот день такое время в часовом поясе зала бывает дважды (часы переводят назад). Выберите другое время.
page-previous-month = Предыдущий месяц
page-next-month = Следующий месяц
page-month-title = { $month } { $year }
month-name-1 = Январь
month-name-2 = Февраль
month-name-3 = Март
month-name-4 = Апрель
month-name-5 = Май
month-name-6 = Июнь
month-name-7 = Июль
month-name-8 = Август
month-name-9 = Сентябрь
month-name-10 = Октябрь
month-name-11 = Ноябрь
month-name-12 = Декабрь
weekday-1 = Пн
weekday-2 = Вт
weekday-3 = Ср
weekday-4 = Чт
weekday-5 = Пт
weekday-6 = Сб
weekday-7 = Вс
page-production-title = Название
page-description = Описание
page-duration = Продолжительность, минут
page-intermission = Антракт, минут
page-age-rating = Возрастное ограничение
page-play-language = Язык спектакля
page-play-language-ru = русский
page-play-language-kk = казахский
page-play-language-en = английский
page-running-time = { $duration } мин, антракт { $interval } мин
page-upcoming-count = { $count ->
    [0] предстоящих показов нет
    [one] { $count } предстоящий показ
    [few] { $count } предстоящих показа
   *[many] { $count } предстоящих показов
}
page-edit = Изменить
page-no-productions = Спектаклей пока нет.
page-new-production = Новый спектакль
page-create-production = Создать спектакль
page-edit-production = Изменить спектакль
page-running-time-note = Новая продолжительность сдвигает окончание всех предстоящих показов; изменение отклоняется, если какой-то показ станет пересекаться с другим.
page-save = Сохранить
page-new-venue = Добавить зал
page-venue-name = Название зала
page-address = Адрес
page-timezone = Часовой пояс (IANA, например Asia/Almaty)
page-seat-plan = План зала (JSON)
page-seat-plan-help = Вставьте места в том виде, как их принимает API, например [{"{"}"row": 1, "number": 1, "zone": "front", "x": 0, "y": 0, "accessible": false{"}"}], или весь зал с name, address, timezone и seats. Перед сохранением посмотрите, как он выглядит.
page-preview = Посмотреть
page-save-venue = Сохранить зал
page-preview-title = Так зал увидят зрители
page-plan-not-json = План зала — не правильный JSON (строка { $line }, позиция { $column }).
page-plan-not-seats = План зала должен быть списком мест, у каждого row, number, zone, x и y (и accessible, если это место для коляски).
